package com.redhat.cloudoreg.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.health.ConsumerLivenessCheck.StreamVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamVerdictTest {
  private static final Instant START = Instant.parse("2026-11-26T00:00:00Z");
  private final MovingClock clock = new MovingClock();
  private final StreamVerdict verdict =
      new StreamVerdict(clock, Duration.ofMinutes(5), Duration.ofMinutes(2));

  @Test
  void consumingIsAlive() {
    clock.advance(Duration.ofMinutes(10));
    assertThat(verdict.judge(Optional.empty(), true, true).alive()).isTrue();
  }

  @Test
  void joiningGetsItsGrace() {
    clock.advance(Duration.ofSeconds(90));
    assertThat(verdict.judge(Optional.empty(), true, false).alive()).isTrue();
  }

  @Test
  void consumerGoneFromItsGroupIsDead() {
    verdict.judge(Optional.empty(), true, true);
    clock.advance(Duration.ofMinutes(3));
    var judgement = verdict.judge(Optional.empty(), true, false);
    assertThat(judgement.alive()).isFalse();
    assertThat(judgement.reason()).startsWith("consumer out of its group");
  }

  @Test
  void unreachableKafkaIsNoReasonToRestartAndRestartsTheGrace() {
    clock.advance(Duration.ofMinutes(10));
    assertThat(verdict.judge(Optional.empty(), false, false).alive()).isTrue();
    clock.advance(Duration.ofSeconds(30));
    assertThat(verdict.judge(Optional.empty(), true, false).alive()).isTrue();
  }

  @Test
  void eventStuckBeyondAnyBudgetIsDead() {
    Instant stuckSince = clock.instant();
    clock.advance(Duration.ofMinutes(6));
    var judgement = verdict.judge(Optional.of(stuckSince), true, true);
    assertThat(judgement.alive()).isFalse();
    assertThat(judgement.reason()).startsWith("an event has been in flight");
  }

  @Test
  void eventWithinItsBudgetIsFine() {
    Instant since = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    assertThat(verdict.judge(Optional.of(since), true, true).alive()).isTrue();
  }

  /** A clock the test moves by hand. */
  private static final class MovingClock extends Clock {
    private Instant now = START;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
