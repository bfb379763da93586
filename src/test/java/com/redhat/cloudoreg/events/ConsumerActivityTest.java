package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsumerActivityTest {
  @Test
  void aRedeliveredDuplicateIsCountedApartFromTheOriginal() {
    ConsumerActivity activity = new ConsumerActivity();
    ConsumerActivity.Running original = activity.started();
    ConsumerActivity.Running duplicate = activity.started();

    original.finished();

    assertThat(activity.inFlight()).as("the duplicate still runs").isEqualTo(1);
    duplicate.finished();
    assertThat(activity.inFlight()).isZero();
    assertThat(activity.oldestInFlightSince()).isEmpty();
  }

  @Test
  void theOldestPendingRemovalsAgeIsMeasuredUntilItIsDone() {
    MovableClock clock = new MovableClock();
    ConsumerActivity activity = new ConsumerActivity(clock);
    ConsumerActivity.PendingRemoval removal = activity.removalPending();

    clock.now = clock.now.plusSeconds(90);

    assertThat(activity.pendingRemovals()).isEqualTo(1);
    assertThat(activity.oldestPendingRemovalAge()).isEqualTo(Duration.ofSeconds(90));
    removal.done();
    assertThat(activity.oldestPendingRemovalAge()).isEqualTo(Duration.ZERO);
  }

  /**
   * A destroy is one pending removal however often its event is delivered (a rebalance's redelivery
   * beside the revoked run), until its removal is done or its event is over.
   */
  @Test
  void aDestroyDeliveredTwiceIsOnePendingRemoval() {
    ConsumerActivity activity = new ConsumerActivity();
    activity.destroyTaken("platform.sources.event-stream-0@42");
    activity.destroyTaken("platform.sources.event-stream-0@42");

    assertThat(activity.pendingRemovals()).isEqualTo(1);
    activity.destroyDone("platform.sources.event-stream-0@42");
    activity.destroyDone("platform.sources.event-stream-0@42");
    assertThat(activity.pendingRemovals()).isZero();
  }

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
