package com.redhat.cloudoreg.outcome;

/**
 * A peer answered as its contract allows — not there, already there — and the caller reads the
 * answer; not a failure of the peer, so it never counts against its breaker.
 */
public abstract class PeerAnswer extends RuntimeException {
  protected PeerAnswer(String detail) {
    super(detail, null, false, false);
  }
}
