package com.redhat.cloudoreg.outcome;

import java.time.Duration;
import java.util.Optional;

/**
 * What a trust use case decided: its outcome, the source it concerned when known, a detail for our
 * logs (never a secret), the account it trusted at RHSM, if any (what an update keeps, or what a
 * fenced writer must take back), when a peer throttled us how long it asked us to wait, and the
 * grant it was decided on, if any (what an update's removal confirms is still current once it has
 * landed).
 */
public record Decision(
    Outcome outcome,
    Optional<String> sourceId,
    String detail,
    Optional<TrustedAccount> trusted,
    Optional<Duration> retryAfter,
    Optional<Grant> decidedOn) {
  public static Decision of(Outcome outcome, String sourceId, String detail) {
    return new Decision(
        outcome,
        Optional.ofNullable(sourceId),
        detail,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A decision that registered (or kept) this account at RHSM for the source. */
  public static Decision withTrust(
      Outcome outcome, String sourceId, String detail, TrustedAccount account) {
    return new Decision(
        outcome,
        Optional.of(sourceId),
        detail,
        Optional.of(account),
        Optional.empty(),
        Optional.empty());
  }

  /** A failure the flow knows, as its outcome: the customer's rejection, or a peer's outage. */
  public static Decision failed(RuntimeException known, String sourceId) {
    return because(Outcomes.of(known), sourceId, known);
  }

  /**
   * A decision a failure led to (the type unknown, a removal unconfirmed), with the wait the peer
   * asked for, if any: the next attempt comes no sooner than its {@code Retry-After}.
   */
  public static Decision because(Outcome outcome, String sourceId, RuntimeException cause) {
    Optional<Duration> retryAfter =
        cause instanceof TransientFailure transientFailure
            ? transientFailure.retryAfter()
            : Optional.empty();
    return new Decision(
        outcome,
        Optional.ofNullable(sourceId),
        Outcomes.describe(cause),
        Optional.empty(),
        retryAfter,
        Optional.empty());
  }

  /**
   * A failure met once the write to RHSM was sent — its answer lost, or the fence after it unread:
   * while that is no verdict, the account may stand unfenced, and the decision carries it ({@link
   * #unfenced}).
   */
  public static Decision failedAfterWrite(
      RuntimeException known, String sourceId, TrustedAccount written) {
    Decision failed = failed(known, sourceId);
    if (!failed.outcome().noVerdict()) {
      return failed;
    }
    return new Decision(
        failed.outcome(),
        failed.sourceId(),
        failed.detail()
            + "; "
            + written.provider()
            + " account "
            + written.accountId()
            + " may stand unfenced",
        Optional.of(written),
        failed.retryAfter(),
        Optional.empty());
  }

  /** This decision, made on that grant. */
  public Decision on(Grant grant) {
    return new Decision(outcome, sourceId, detail, trusted, retryAfter, Optional.of(grant));
  }

  /** Unavailable for a reason the customer must fix, not because a dependency is down. */
  public boolean customerMustAct() {
    return !outcome.noVerdict()
        && outcome.availability().filter(Availability.UNAVAILABLE::equals).isPresent();
  }

  /**
   * The fence found the application gone or its grant replaced, yet this decision registered an
   * account: it must be taken back.
   */
  public boolean leftTrustBehind() {
    return (outcome == Outcome.APPLICATION_GONE || outcome == Outcome.GRANT_REPLACED)
        && trusted.isPresent();
  }

  /**
   * No verdict, yet a write to RHSM may stand that no fence confirmed: the caller confirms it or
   * takes it back, durably, whatever it decides next (docs/architecture.md, "Two pods").
   */
  public boolean unfenced() {
    return outcome.noVerdict() && trusted.isPresent();
  }
}
