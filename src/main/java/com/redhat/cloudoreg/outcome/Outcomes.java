package com.redhat.cloudoreg.outcome;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/** The one place where a failure becomes an outcome. */
public final class Outcomes {
  private Outcomes() {}

  /**
   * A customer's rejection keeps its own outcome. A peer's known failure (still failing after the
   * retry budget, an open circuit, a timeout, our own credentials refused, an answer we cannot
   * read) is an outage on our side: temporary, never the customer's fault. Anything else is a bug
   * and is not dressed up as an outcome: it is thrown on, to be logged with its stack trace.
   */
  public static Outcome of(RuntimeException failure) {
    if (failure instanceof Rejection rejection) {
      return rejection.outcome();
    }
    if (isOutage(failure)) {
      return Outcome.TEMPORARILY_IMPOSSIBLE;
    }
    throw failure;
  }

  /** A peer's known failure, or fault tolerance giving up on one. */
  public static boolean isOutage(Throwable failure) {
    return failure instanceof PeerFailure || failure instanceof FaultToleranceException;
  }

  /** A failure as our logs show it: its kind and message, never a stack of a customer's error. */
  public static String describe(RuntimeException failure) {
    return failure instanceof Rejection
        ? failure.getMessage()
        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
