package com.redhat.cloudoreg.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** A peer's {@code Retry-After}, read in both forms HTTP allows, and what it makes of an answer. */
class ThrottledTest {
  private static final Duration IN_PLACE = Duration.ofSeconds(1);

  private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterInSecondsIsRead() {
    assertThat(Throttled.parse("2", clock)).contains(Duration.ofSeconds(2));
    assertThat(Throttled.parse(" 0 ", clock)).contains(Duration.ZERO);
  }

  @Test
  void retryAfterAsAnHttpDateIsReadAgainstTheClock() {
    assertThat(Throttled.parse("Sun, 01 Mar 2026 10:00:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
    assertThat(Throttled.parse("Sun, 01 Mar 2026 09:59:00 GMT", clock))
        .as("a date already past: no wait")
        .contains(Duration.ZERO);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "soon", "-5", "+5", "1.5", "2s", "1234567890123456", "01 Mar 2026"})
  void aMissingOrMalformedRetryAfterIsIgnored(String header) {
    assertThat(Throttled.parse(header, clock)).isEmpty();
  }

  @Test
  void a429IsThrottledWithOrWithoutAWait() {
    assertThat(Throttled.of("Peer answered HTTP 429", 429, null, IN_PLACE, clock))
        .isExactlyInstanceOf(Throttled.class)
        .hasMessage("Peer answered HTTP 429, Retry-After none")
        .extracting(TransientFailure::retryAfter)
        .isEqualTo(Optional.empty());
    assertThat(Throttled.of("Peer answered HTTP 429", 429, "1", IN_PLACE, clock))
        .as("a wait the retry's pause covers: retried in place")
        .isExactlyInstanceOf(Throttled.class);
    assertThat(Throttled.of("Peer answered HTTP 429", 429, "2", IN_PLACE, clock))
        .as("a longer one: not retried in place")
        .isExactlyInstanceOf(Throttled.Longer.class)
        .hasMessage("Peer answered HTTP 429, Retry-After PT2S: not retried sooner");
  }

  @Test
  void a503IsThrottledOnlyWhenItSaysWhenToComeBack() {
    assertThat(Throttled.of("Peer answered HTTP 503", 503, "120", IN_PLACE, clock))
        .isExactlyInstanceOf(Throttled.Longer.class)
        .extracting(TransientFailure::retryAfter)
        .isEqualTo(Optional.of(Duration.ofSeconds(120)));
    assertThat(Throttled.of("Peer answered HTTP 503", 503, null, IN_PLACE, clock))
        .isExactlyInstanceOf(TransientFailure.class)
        .hasMessage("Peer answered HTTP 503");
    assertThat(Throttled.of("Peer answered HTTP 503", 503, "soon", IN_PLACE, clock))
        .isExactlyInstanceOf(TransientFailure.class);
    assertThat(Throttled.of("Peer answered HTTP 500", 500, "120", IN_PLACE, clock))
        .as("Retry-After means nothing on a 500")
        .isExactlyInstanceOf(TransientFailure.class);
  }
}
