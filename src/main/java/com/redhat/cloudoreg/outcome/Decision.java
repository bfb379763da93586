package com.redhat.cloudoreg.outcome;

import java.util.Optional;

/**
 * What a trust use case decided: its outcome, the source it concerned when known, and a detail for
 * our logs (never a secret).
 */
public record Decision(Outcome outcome, Optional<String> sourceId, String detail) {
  public static Decision of(Outcome outcome, String sourceId, String detail) {
    return new Decision(outcome, Optional.ofNullable(sourceId), detail);
  }

  /** A failure the flow knows, as its outcome: the customer's rejection, or a peer's outage. */
  public static Decision failed(RuntimeException known, String sourceId) {
    return of(Outcomes.of(known), sourceId, Outcomes.describe(known));
  }

  /** Unavailable for a reason the customer must fix, not because a dependency is down. */
  public boolean customerMustAct() {
    return outcome != Outcome.TEMPORARILY_IMPOSSIBLE
        && outcome.availability().filter(Availability.UNAVAILABLE::equals).isPresent();
  }

  public Decision withDetail(String more) {
    return new Decision(outcome, sourceId, detail + "; " + more);
  }
}
