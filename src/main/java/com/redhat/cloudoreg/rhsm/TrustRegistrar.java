package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Establishes auto-registration trust: the customer's AWS account registered, verified, for their
 * org and tied to the source. A refusal because the account exists is read against what the org
 * holds, so that a duplicate event never turns a working source unavailable.
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

  public void establish(Caller caller, String awsAccountId, String sourceId) {
    try {
      rhsm.addAwsAccount(caller, ProviderAccount.verified(awsAccountId, sourceId));
    } catch (RhsmConflict alreadyRegistered) {
      resolveConflict(caller, awsAccountId, sourceId);
    }
  }

  /**
   * Makes RHSM hold exactly this account for the source: what the source had is removed first, so
   * an edited ARN never leaves the old account trusted.
   */
  public void replace(Caller caller, String awsAccountId, String sourceId) {
    rhsm.removeSourceAccounts(caller, sourceId);
    establish(caller, awsAccountId, sourceId);
  }

  /** Ends the trust of everything registered for the source; already gone is fine. */
  public void remove(Caller caller, String sourceId) {
    rhsm.removeSourceAccounts(caller, sourceId);
  }

  private void resolveConflict(Caller caller, String awsAccountId, String sourceId) {
    ProviderAccount held =
        rhsm.enabledProviders(caller)
            .account(RhsmGateway.AWS, awsAccountId)
            .orElseThrow(
                () ->
                    new Rejection(
                        Outcome.HELD_BY_OTHER_ORG, "the AWS account is registered to another org"));
    if (!sourceId.equals(held.sourceId())) {
      throw new Rejection(
          Outcome.LINKED_BY_OTHER_SOURCE,
          "the org holds the AWS account through source " + held.sourceId());
    }
  }
}
