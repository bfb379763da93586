package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.outcome.TransientFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Azure answered 429: transient, with the wait it asked for in {@code Retry-After} when it gave
 * one. MicroProfile Fault Tolerance retries after a fixed delay and cannot wait per answer, so the
 * verifier honours {@code Retry-After} by choosing whether to retry in place: a wait no longer than
 * {@link #IN_PLACE} is covered by the retry delay (at least that long, see {@code
 * AzureVerifier#verify}); a longer one is a {@link Longer}, which the verifier does not retry, so
 * we never call again sooner than asked. The caller sees it as any other {@link TransientFailure}
 * and reads the wait from it: the event is tried again, not sooner than that.
 */
public class Throttled extends TransientFailure {
  /** The longest {@code Retry-After} that the verifier's retry delay still honours. */
  public static final Duration IN_PLACE = Duration.ofSeconds(1);

  Throttled(String detail, Optional<Duration> retryAfter) {
    super(detail, retryAfter);
  }

  /** Throttled for longer than the retry delay: not retried in place. */
  public static class Longer extends Throttled {
    Longer(String detail, Optional<Duration> retryAfter) {
      super(detail, retryAfter);
    }
  }

  /** The failure for a 429 of {@code peer} whose {@code Retry-After} header is {@code header}. */
  static Throttled of(String peer, String header, Clock clock) {
    Optional<Duration> wait = parse(header, clock);
    String detail =
        peer
            + " throttled us (HTTP 429, Retry-After "
            + wait.map(Duration::toString).orElse("none");
    return wait.filter(w -> w.compareTo(IN_PLACE) > 0).isPresent()
        ? new Longer(detail + "): not retried sooner", wait)
        : new Throttled(detail + ")", wait);
  }

  /** {@code Retry-After} is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
  static Optional<Duration> parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
