package com.redhat.cloudoreg.outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A peer asked us to wait before we call again: a 429, or a 503 that says when to come back ({@code
 * Retry-After}). Transient, with the wait it asked for when it gave one. MicroProfile Fault
 * Tolerance retries after a fixed delay and cannot wait per answer, so a gateway honours {@code
 * Retry-After} by choosing whether to retry in place: a wait no longer than its retry's shortest
 * pause ({@code delay - jitter}, the {@code inPlace} it names here) is covered by that pause; a
 * longer one is a {@link Longer}, which the gateway's {@code @Retry} aborts on, so we never call
 * again sooner than asked. The caller sees it as any other {@link TransientFailure} and reads the
 * wait from it ({@link Decision#retryAfter}): the item is tried again, not sooner than that.
 */
public class Throttled extends TransientFailure {
  private static final Pattern DELAY_SECONDS = Pattern.compile("\\d{1,15}");

  Throttled(String detail, Optional<Duration> retryAfter) {
    super(detail, retryAfter);
  }

  /** Asked to wait longer than the retry's pause: not retried in place. */
  public static class Longer extends Throttled {
    Longer(String detail, Optional<Duration> retryAfter) {
      super(detail, retryAfter);
    }
  }

  /**
   * The failure for a transient status of a peer (429 or 5xx): {@link Throttled} for a 429, and for
   * a 503 with a {@code Retry-After} we can read; a plain {@link TransientFailure} otherwise.
   *
   * @param answered what the peer answered, for our logs ({@code "Sources answered HTTP 503"})
   * @param retryAfter the {@code Retry-After} header, null when absent
   * @param inPlace the longest wait the caller's in-place retry still honours
   * @param clock now, for a {@code Retry-After} given as a date
   */
  public static TransientFailure of(
      String answered, int status, String retryAfter, Duration inPlace, Clock clock) {
    Optional<Duration> wait =
        status == 429 || status == 503 ? parse(retryAfter, clock) : Optional.empty();
    if (status != 429 && wait.isEmpty()) {
      return new TransientFailure(answered);
    }
    String detail = answered + ", Retry-After " + wait.map(Duration::toString).orElse("none");
    return wait.filter(w -> w.compareTo(inPlace) > 0).isPresent()
        ? new Longer(detail + ": not retried sooner", wait)
        : new Throttled(detail, wait);
  }

  /**
   * {@code Retry-After} is delay-seconds or an HTTP-date (RFC 9110 §10.2.3); empty when absent or
   * malformed (the normal pauses apply), zero for a date already past. Delay-seconds are digits
   * only, fifteen at most: a longer wait (past thirty million years) is no wait, and its
   * milliseconds would overflow the scheduler's {@code long}.
   */
  public static Optional<Duration> parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    if (DELAY_SECONDS.matcher(value).matches()) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException notADate) {
      return Optional.empty();
    }
  }
}
