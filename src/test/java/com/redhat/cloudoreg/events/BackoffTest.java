package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration FIRST = Duration.ofSeconds(10);
  private static final Duration MAX = Duration.ofMinutes(3);
  private static final Duration LONGEST_ASKED = Duration.ofHours(1);

  @Test
  void doublesPerFailureUpToTheMaximum() {
    Backoff middle = new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 0.5);

    assertThat(middle.after(1, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
    assertThat(middle.after(2, Optional.empty())).isEqualTo(Duration.ofSeconds(20));
    assertThat(middle.after(4, Optional.empty())).isEqualTo(Duration.ofSeconds(80));
    assertThat(middle.after(5, Optional.empty())).isEqualTo(Duration.ofSeconds(160));
    assertThat(middle.after(6, Optional.empty())).as("320 s capped").isEqualTo(MAX);
    assertThat(middle.after(1_000, Optional.empty())).as("no overflow").isEqualTo(MAX);
  }

  @Test
  void jitterSpreadsTwentyPercentEachWayButNeverPastTheMaximum() {
    assertThat(new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 0.0).after(1, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 1.0).after(1, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(12));
    assertThat(new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 1.0).after(10, Optional.empty()))
        .isEqualTo(MAX);
  }

  @Test
  void aWaitThePeerAskedForIsNeverCutShortWithinTheBound() {
    Backoff middle = new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 0.5);

    assertThat(middle.after(1, Optional.of(Duration.ofSeconds(45))))
        .isEqualTo(Duration.ofSeconds(45));
    assertThat(middle.after(3, Optional.of(Duration.ofSeconds(5))))
        .as("a shorter ask does not hurry the pause")
        .isEqualTo(Duration.ofSeconds(40));
    assertThat(middle.after(1, Optional.of(Duration.ofMinutes(10))))
        .as("the peer's ask wins over the maximum")
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aWaitLongerThanTheBoundIsCutToIt() {
    Backoff middle = new Backoff(FIRST, MAX, LONGEST_ASKED, () -> 0.5);

    assertThat(middle.after(1, Optional.of(Duration.ofDays(1)))).isEqualTo(LONGEST_ASKED);
    assertThat(middle.after(1, Optional.of(Duration.ofSeconds(999_999_999_999_999L))))
        .as("fifteen digits of seconds, as Throttled reads them")
        .isEqualTo(LONGEST_ASKED);
    assertThat(middle.after(1, Optional.of(LONGEST_ASKED))).isEqualTo(LONGEST_ASKED);
    assertThat(
            new Backoff(FIRST, MAX, Duration.ofSeconds(5), () -> 0.5)
                .after(3, Optional.of(Duration.ofDays(1))))
        .as("a bound below the step's own pause leaves that pause")
        .isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void refusesPausesThatCannotBe() {
    assertThatThrownBy(() -> new Backoff(MAX, FIRST, LONGEST_ASKED, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), MAX, LONGEST_ASKED, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(FIRST, MAX, Duration.ofSeconds(-1), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
