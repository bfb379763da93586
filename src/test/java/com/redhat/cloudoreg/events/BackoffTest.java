package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration FIRST = Duration.ofSeconds(10);
  private static final Duration MAX = Duration.ofMinutes(3);

  @Test
  void doublesPerFailureUpToTheMaximum() {
    Backoff middle = new Backoff(FIRST, MAX, () -> 0.5);

    assertThat(middle.after(1, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
    assertThat(middle.after(2, Optional.empty())).isEqualTo(Duration.ofSeconds(20));
    assertThat(middle.after(4, Optional.empty())).isEqualTo(Duration.ofSeconds(80));
    assertThat(middle.after(5, Optional.empty())).isEqualTo(Duration.ofSeconds(160));
    assertThat(middle.after(6, Optional.empty())).as("320 s capped").isEqualTo(MAX);
    assertThat(middle.after(1_000, Optional.empty())).as("no overflow").isEqualTo(MAX);
  }

  @Test
  void jitterSpreadsTwentyPercentEachWayButNeverPastTheMaximum() {
    assertThat(new Backoff(FIRST, MAX, () -> 0.0).after(1, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(new Backoff(FIRST, MAX, () -> 1.0).after(1, Optional.empty()))
        .isEqualTo(Duration.ofSeconds(12));
    assertThat(new Backoff(FIRST, MAX, () -> 1.0).after(10, Optional.empty())).isEqualTo(MAX);
  }

  @Test
  void aWaitThePeerAskedForIsNeverCutShort() {
    Backoff middle = new Backoff(FIRST, MAX, () -> 0.5);

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
  void refusesPausesThatCannotBe() {
    assertThatThrownBy(() -> new Backoff(MAX, FIRST, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), MAX, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
