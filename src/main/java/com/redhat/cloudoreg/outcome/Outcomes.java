package com.redhat.cloudoreg.outcome;

/** The one place where a failure becomes an outcome. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * A customer's rejection keeps its own outcome. Everything else (a peer still failing after the
   * retry budget, an open circuit, a timeout, our own credentials refused, an unexpected answer) is
   * an outage on our side: report it as temporary, never as the customer's fault.
   */
  public static Outcome of(Throwable failure) {
    if (failure instanceof Rejection rejection) {
      return rejection.outcome();
    }
    return Outcome.TEMPORARILY_IMPOSSIBLE;
  }
}
