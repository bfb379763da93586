package com.redhat.cloudoreg.outcome;

/**
 * A peer failed us in one of the ways its contract allows: an outage, our own credentials refused,
 * an answer we cannot read. Never the customer's fault; anything that is neither this nor a {@link
 * Rejection} is a bug of ours.
 */
public abstract class PeerFailure extends RuntimeException {
  protected PeerFailure(String detail) {
    super(detail, null, false, false);
  }

  protected PeerFailure(String detail, Throwable cause) {
    super(detail, cause);
  }
}
