package com.redhat.cloudoreg.outcome;

/**
 * A peer refused cloudoreg's own credentials (PSK, AWS keys, RHSM certificate). An outage on our
 * side: never blamed on the customer, and not retried, since repeating the call cannot fix it.
 */
public class OwnCredentialsRejected extends PeerFailure {
  public OwnCredentialsRejected(String detail) {
    super(detail);
  }
}
