package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Establishes, replaces and removes auto-registration trust: the customer's cloud account
 * registered, verified, for their org and tied to the source. A refusal because the account exists
 * is read against what the org holds, so that a duplicate event never turns a working source
 * unavailable.
 */
@ApplicationScoped
public class TrustRegistrar {
  private final RhsmGateway rhsm;

  @Inject
  public TrustRegistrar(RhsmGateway rhsm) {
    this.rhsm = rhsm;
  }

  protected TrustRegistrar() {
    this(null);
  }

  public void establish(Caller caller, Provider provider, String accountId, String sourceId) {
    try {
      rhsm.addAccount(caller, provider, ProviderAccount.verified(accountId, sourceId));
    } catch (RhsmConflict alreadyRegistered) {
      resolveConflict(caller, provider, accountId, sourceId);
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

  /** The accounts of that provider RHSM holds for the org through the source. */
  public List<String> sourceAccounts(Caller caller, Provider provider, String sourceId) {
    return rhsm.enabledProviders(caller).sourceAccounts(provider, sourceId);
  }

  /** Whether RHSM already holds this account for the org through this very source. */
  public boolean holdsForSource(
      Caller caller, Provider provider, String accountId, String sourceId) {
    return rhsm.enabledProviders(caller)
        .account(provider, accountId)
        .filter(account -> sourceId.equals(account.sourceId()))
        .isPresent();
  }

  private void resolveConflict(
      Caller caller, Provider provider, String accountId, String sourceId) {
    ProviderAccount held =
        rhsm.enabledProviders(caller)
            .account(provider, accountId)
            .orElseThrow(
                () ->
                    provider == Provider.MSAZ
                        ? new Rejection(
                            Outcome.SUBSCRIPTION_HELD_ELSEWHERE,
                            "the Azure subscription is registered to another org")
                        : new Rejection(
                            Outcome.HELD_BY_OTHER_ORG,
                            "the AWS account is registered to another org"));
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
