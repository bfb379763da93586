package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.TransientFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RHSM's cloud-access accounts in memory, as the in-process tests' peer: it holds each account once
 * across orgs (a second registration is a conflict), lists an org's accounts, removes by source and
 * by id, keeps a journal of the changes, and can be made to fail (a removal by source, after it
 * took effect).
 */
public class InMemoryRhsm extends RhsmGateway {
  /** One registered account: whose, under which provider, tied to which source (or by hand). */
  public record Held(String orgId, Provider provider, String id, String sourceId) {}

  private final Map<String, Held> accounts = new LinkedHashMap<>();
  private final List<String> journal = new ArrayList<>();
  private boolean down;
  private boolean loseNextSourceRemovalsAnswer;
  private boolean refuseSourceRemovals;
  private boolean loseNextAddsAnswer;

  public synchronized void holds(String orgId, Provider provider, String id, String sourceId) {
    accounts.put(provider + "/" + id, new Held(orgId, provider, id, sourceId));
  }

  public synchronized List<Held> heldBy(String orgId) {
    return accounts.values().stream().filter(held -> held.orgId().equals(orgId)).toList();
  }

  /**
   * The changes made, in order: {@code add AWS/…}, {@code remove AWS/…}, {@code remove source …}.
   */
  public synchronized List<String> journal() {
    return List.copyOf(journal);
  }

  /** Runs as each read of what the org holds begins (to make something happen just then). */
  public Runnable onHoldingsRead = () -> {};

  public synchronized void down(boolean down) {
    this.down = down;
  }

  /**
   * The next removal by source takes effect and then fails as a 503 would: the answer lost on its
   * way back.
   */
  public synchronized void losesTheNextSourceRemovalsAnswer() {
    loseNextSourceRemovalsAnswer = true;
  }

  @Override
  public synchronized void addAccount(
      Caller caller, Provider provider, ProviderAccount account, AtomicInteger tries) {
    tries.incrementAndGet();
    failIfDown();
    String key = provider + "/" + account.id();
    if (accounts.containsKey(key)) {
      throw new RhsmConflict();
    }
    journal.add("add " + key);
    accounts.put(key, new Held(caller.orgId(), provider, account.id(), account.sourceId()));
    if (loseNextAddsAnswer) {
      // the answer lost; the gateway's retry then finds the account held
      loseNextAddsAnswer = false;
      tries.incrementAndGet();
      throw new RhsmConflict();
    }
  }

  /** The next add takes effect, its answer is lost, and its retry is refused as held. */
  public synchronized void losesTheNextAddsAnswer() {
    loseNextAddsAnswer = true;
  }

  /** Removals by source are refused (as a 503) while on: what RHSM keeps refusing. */
  public synchronized void refusesSourceRemovals(boolean refusing) {
    refuseSourceRemovals = refusing;
  }

  @Override
  public synchronized void removeSourceAccounts(Caller caller, String sourceId) {
    failIfDown();
    if (refuseSourceRemovals) {
      throw new TransientFailure("RHSM answered HTTP 503");
    }
    journal.add("remove source " + sourceId);
    accounts
        .values()
        .removeIf(held -> held.orgId().equals(caller.orgId()) && sourceId.equals(held.sourceId()));
    if (loseNextSourceRemovalsAnswer) {
      loseNextSourceRemovalsAnswer = false;
      throw new TransientFailure("RHSM answered HTTP 503");
    }
  }

  @Override
  public synchronized void removeAccount(Caller caller, Provider provider, String accountId) {
    failIfDown();
    String key = provider + "/" + accountId;
    journal.add("remove " + key);
    Held held = accounts.get(key);
    if (held != null && held.orgId().equals(caller.orgId())) {
      accounts.remove(key);
    }
  }

  @Override
  public synchronized EnabledProviders enabledProviders(Caller caller) {
    onHoldingsRead.run();
    failIfDown();
    List<EnabledProviders.ProviderAccounts> providers = new ArrayList<>();
    for (Provider provider : Provider.values()) {
      List<ProviderAccount> held =
          heldBy(caller.orgId()).stream()
              .filter(account -> account.provider() == provider)
              .map(account -> new ProviderAccount(account.id(), "", true, account.sourceId()))
              .toList();
      if (!held.isEmpty()) {
        providers.add(new EnabledProviders.ProviderAccounts(provider.name(), held));
      }
    }
    return new EnabledProviders(providers);
  }

  private void failIfDown() {
    if (down) {
      throw new TransientFailure("RHSM answered HTTP 503");
    }
  }

  /** Whether the account is held for that org and source. */
  public synchronized boolean holdsFor(
      String orgId, Provider provider, String id, String sourceId) {
    Held held = accounts.get(provider + "/" + id);
    return held != null && held.orgId().equals(orgId) && Objects.equals(held.sourceId(), sourceId);
  }
}
