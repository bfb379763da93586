package com.redhat.cloudoreg.outcome;

/**
 * A peer answered in a way its contract does not allow (an unlisted status, a body we cannot read).
 * Our problem to investigate, not the customer's, and not one a retry will solve.
 */
public class UnexpectedAnswer extends PeerFailure {
  public UnexpectedAnswer(String detail) {
    super(detail);
  }
}
