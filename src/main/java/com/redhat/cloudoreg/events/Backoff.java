package com.redhat.cloudoreg.events;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The pause before an unsettled step's next attempt: {@code first}, doubling with each failure of
 * that step up to {@code max}, with ±20 % jitter so that steps failed together do not come back
 * together; never shorter than a wait the peer asked for, up to {@code longestAsked}. Per step, so
 * one item failing for good backs off alone while a step failed once comes back soon.
 *
 * <p>Why a peer's ask has a bound: a waiting event holds back the commit of every later offset of
 * its partition, and a {@code Retry-After} of a day (or a date years ahead: {@code
 * outcome/Throttled} reads up to fifteen digits of seconds) would hold it that long, until the
 * unacknowledged bound stops the consumer for every tenant. Past the bound the peer is asked again,
 * one call per waiting step, and may ask again.
 */
public record Backoff(Duration first, Duration max, Duration longestAsked, DoubleSupplier random) {
  private static final double JITTER = 0.2;

  public Backoff {
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("retry pauses need 0 <= first <= max");
    }
    if (longestAsked.isNegative()) {
      throw new IllegalArgumentException("the longest wait honoured cannot be negative");
    }
  }

  /** The pause after the {@code failures}-th failure (1 for the first). */
  public Duration after(int failures, Optional<Duration> notSoonerThan) {
    long doublings = Math.min(failures - 1L, 30);
    long base = Math.min(max.toMillis(), first.toMillis() << doublings);
    long jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random.getAsDouble()));
    Duration pause = Duration.ofMillis(Math.min(max.toMillis(), jittered));
    return notSoonerThan
        .map(asked -> asked.compareTo(longestAsked) > 0 ? longestAsked : asked)
        .filter(asked -> asked.compareTo(pause) > 0)
        .orElse(pause);
  }
}
