package com.redhat.cloudoreg.events;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The pause before an unsettled step's next attempt: {@code first}, doubling with each failure of
 * that step up to {@code max}, with ±20 % jitter so that steps failed together do not come back
 * together; never shorter than a wait the peer asked for. Per step, so one item failing for good
 * backs off alone while a step failed once comes back soon.
 */
public record Backoff(Duration first, Duration max, DoubleSupplier random) {
  private static final double JITTER = 0.2;

  public Backoff {
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("retry pauses need 0 <= first <= max");
    }
  }

  /** The pause after the {@code failures}-th failure (1 for the first). */
  public Duration after(int failures, Optional<Duration> notSoonerThan) {
    long doublings = Math.min(failures - 1L, 30);
    long base = Math.min(max.toMillis(), first.toMillis() << doublings);
    long jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random.getAsDouble()));
    Duration pause = Duration.ofMillis(Math.min(max.toMillis(), jittered));
    return notSoonerThan.filter(asked -> asked.compareTo(pause) > 0).orElse(pause);
  }
}
