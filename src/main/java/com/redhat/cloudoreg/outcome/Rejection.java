package com.redhat.cloudoreg.outcome;

/**
 * The customer's input or setup cannot be trusted as it is; retrying will not change that. Carries
 * the outcome to report; the detail is for our logs and never contains secrets.
 */
public class Rejection extends RuntimeException {
  private final Outcome outcome;

  public Rejection(Outcome outcome, String detail) {
    super(detail, null, false, false);
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }
}
