package com.redhat.cloudoreg.outcome;

import java.util.Optional;

/**
 * What a trust use case decided: its outcome, the source it concerned when known, a detail for our
 * logs (never a secret), and the account it trusted at RHSM, if any (what an update keeps, or what
 * a late writer must take back).
 */
public record Decision(
    Outcome outcome, Optional<String> sourceId, String detail, Optional<TrustedAccount> trusted) {
  public static Decision of(Outcome outcome, String sourceId, String detail) {
    return new Decision(outcome, Optional.ofNullable(sourceId), detail, Optional.empty());
  }

  /** A decision that registered (or kept) this account at RHSM for the source. */
  public static Decision withTrust(
      Outcome outcome, String sourceId, String detail, TrustedAccount account) {
    return new Decision(outcome, Optional.of(sourceId), detail, Optional.of(account));
  }

  /** A failure the flow knows, as its outcome: the customer's rejection, or a peer's outage. */
  public static Decision failed(RuntimeException known, String sourceId) {
    return of(Outcomes.of(known), sourceId, Outcomes.describe(known));
  }

  /** Unavailable for a reason the customer must fix, not because a dependency is down. */
  public boolean customerMustAct() {
    return !outcome.noVerdict()
        && outcome.availability().filter(Availability.UNAVAILABLE::equals).isPresent();
  }

  /** The application is gone, yet this decision registered an account: it must be taken back. */
  public boolean leftTrustBehind() {
    return outcome == Outcome.APPLICATION_GONE && trusted.isPresent();
  }
}
