package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * Establishes, replaces and removes auto-registration trust: the customer's cloud account
 * registered, verified, for their org and tied to the source. A refusal because the account exists
 * is read against what the org holds, so that a duplicate event never turns a working source
 * unavailable. In shadow mode nothing is written, and what the org holds is read instead, so that
 * the conflicts live mode would meet are decided (and counted) as live mode would.
 */
@ApplicationScoped
public class TrustRegistrar {
  private final RhsmGateway rhsm;
  private final Mode mode;

  @Inject
  public TrustRegistrar(
      RhsmGateway rhsm, @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this.rhsm = rhsm;
    this.mode = Mode.of(mode);
  }

  protected TrustRegistrar() {
    this(null, null);
  }

  /**
   * The account registered for the org, tied to the source, or found held already in a way that is
   * success (through this source, or by hand).
   *
   * @return whether this call may have added it: false only when RHSM held it before (by hand, or
   *     for this source when our first attempt was refused for it), so that a writer whose grant
   *     was replaced meanwhile takes back only what it may have added — never the trust that stood
   *     before it, which goes only when the new grant is decided. In shadow mode: whether live mode
   *     would have added it.
   */
  public boolean establish(Caller caller, Provider provider, String accountId, String sourceId) {
    if (mode.isShadow()) {
      // the org's own holdings show every conflict but another org's (RHSM lists per org)
      Optional<ProviderAccount> held = rhsm.enabledProviders(caller).account(provider, accountId);
      held.ifPresent(account -> resolveConflict(account, provider, sourceId));
      return held.isEmpty();
    }
    AtomicInteger tries = new AtomicInteger();
    try {
      rhsm.addAccount(caller, provider, ProviderAccount.verified(accountId, sourceId), tries);
      return true;
    } catch (RhsmConflict alreadyRegistered) {
      EnabledProviders holdings;
      try {
        holdings = rhsm.enabledProviders(caller);
      } catch (PeerFailure | FaultToleranceException unread) {
        if (tries.get() > 1) {
          throw unread;
        }
        throw new HeldForWhomUnread(unread);
      }
      ProviderAccount held =
          resolveConflict(holdings.account(provider, accountId), provider, sourceId);
      // refused on a retry, for this source: our own earlier attempt may have landed unanswered
      return tries.get() > 1 && !held.addedByHand();
    }
  }

  /**
   * Our first attempt was refused because RHSM holds the account, and what it holds could not be
   * read to tell for whom: an outage, in which nothing of ours was written, so no fence has
   * anything to take back (the trust that stood before stays until the new grant is decided).
   */
  public static final class HeldForWhomUnread extends TransientFailure {
    HeldForWhomUnread(RuntimeException unread) {
      super(
          "RHSM holds the account already; for whom unread: " + Outcomes.describe(unread), unread);
    }
  }

  /**
   * The rest of a replacement, once the new account is established: the source's other accounts
   * removed one by one, so there was never a moment without trust, and an update that changed
   * nothing changes nothing. Returns how many were removed.
   */
  public int removeAllBut(Caller caller, Provider provider, String keptId, String sourceId) {
    EnabledProviders held = rhsm.enabledProviders(caller);
    int removed = 0;
    for (Provider any : Provider.values()) {
      for (String old : held.sourceAccounts(any, sourceId)) {
        if (any != provider || !old.equalsIgnoreCase(keptId)) {
          rhsm.removeAccount(caller, any, old);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Ends the trust of everything registered for the source; already gone is fine. */
  public void remove(Caller caller, String sourceId) {
    rhsm.removeSourceAccounts(caller, sourceId);
  }

  /**
   * Removes the account if RHSM holds it for the org through this very source: what a source's flow
   * wrote, never an account the org added by hand or tied to another source.
   */
  public void removeIfHeldForSource(
      Caller caller, Provider provider, String accountId, String sourceId) {
    if (holdsForSource(caller, provider, accountId, sourceId)) {
      rhsm.removeAccount(caller, provider, accountId);
    }
  }

  /**
   * The sources through which RHSM holds AWS or Azure accounts for the org: what auto-registration
   * trust the org has through Sources (accounts it added by hand are not among them).
   */
  public Set<String> sourcesHoldingTrust(Caller caller) {
    EnabledProviders held = rhsm.enabledProviders(caller);
    Set<String> sources = new TreeSet<>();
    for (Provider provider : Provider.values()) {
      sources.addAll(held.sourcesHolding(provider));
    }
    return sources;
  }

  /** The accounts of that provider RHSM holds for the org through the source. */
  public List<String> sourceAccounts(Caller caller, Provider provider, String sourceId) {
    return rhsm.enabledProviders(caller).sourceAccounts(provider, sourceId);
  }

  /** Whether RHSM holds this account for the org at all: through any source, or added by hand. */
  public boolean holds(Caller caller, Provider provider, String accountId) {
    return rhsm.enabledProviders(caller).account(provider, accountId).isPresent();
  }

  /** Whether RHSM already holds this account for the org through this very source. */
  public boolean holdsForSource(
      Caller caller, Provider provider, String accountId, String sourceId) {
    return rhsm.enabledProviders(caller)
        .account(provider, accountId)
        .filter(account -> sourceId.equals(account.sourceId()))
        .isPresent();
  }

  /**
   * The account is registered already: held by this org through this source (a duplicate event) or
   * by hand (the org trusts it already) is success; through another source, or not held by this org
   * at all (another org has it), the customer must act.
   */
  private static ProviderAccount resolveConflict(
      Optional<ProviderAccount> heldByOrg, Provider provider, String sourceId) {
    ProviderAccount held =
        heldByOrg.orElseThrow(
            () ->
                provider == Provider.MSAZ
                    ? new Rejection(
                        Outcome.SUBSCRIPTION_HELD_ELSEWHERE,
                        "the Azure subscription is registered to another org")
                    : new Rejection(
                        Outcome.HELD_BY_OTHER_ORG, "the AWS account is registered to another org"));
    resolveConflict(held, provider, sourceId);
    return held;
  }

  private static void resolveConflict(ProviderAccount held, Provider provider, String sourceId) {
    if (held.addedByHand()) {
      // the org added it in Cloud Access itself: it trusts the account already
      return;
    }
    if (!sourceId.equals(held.sourceId())) {
      throw new Rejection(
          provider == Provider.MSAZ
              ? Outcome.SUBSCRIPTION_HELD_ELSEWHERE
              : Outcome.LINKED_BY_OTHER_SOURCE,
          "the org holds the account through source " + held.sourceId());
    }
  }
}
