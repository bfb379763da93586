package com.redhat.cloudoreg.outcome;

/**
 * A peer failed in a way that may heal on its own (5xx, timeout, connection, throttling): retry.
 */
public class TransientFailure extends PeerFailure {
  public TransientFailure(String detail) {
    super(detail);
  }

  public TransientFailure(String detail, Throwable cause) {
    super(detail, cause);
  }
}
