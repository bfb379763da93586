package com.redhat.cloudoreg.outcome;

/**
 * A peer failed in a way that may heal on its own (5xx, timeout, connection, throttling): retry.
 */
public class TransientFailure extends RuntimeException {
  public TransientFailure(String detail) {
    super(detail, null, false, false);
  }

  public TransientFailure(String detail, Throwable cause) {
    super(detail, cause);
  }
}
