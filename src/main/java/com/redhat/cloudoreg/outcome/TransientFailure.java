package com.redhat.cloudoreg.outcome;

import java.time.Duration;
import java.util.Optional;

/**
 * A peer failed in a way that may heal on its own (5xx, timeout, connection, throttling): retry —
 * never sooner than the peer asked, when it said ({@code Retry-After}).
 */
public class TransientFailure extends PeerFailure {
  private final transient Optional<Duration> retryAfter;

  public TransientFailure(String detail) {
    this(detail, Optional.empty());
  }

  public TransientFailure(String detail, Throwable cause) {
    super(detail, cause);
    this.retryAfter = Optional.empty();
  }

  protected TransientFailure(String detail, Optional<Duration> retryAfter) {
    super(detail);
    this.retryAfter = retryAfter;
  }

  /** The wait the peer asked for before the next call, when it said. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
