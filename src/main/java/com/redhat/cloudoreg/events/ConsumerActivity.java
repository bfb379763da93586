package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What is running now and since when (for the in-flight gauge and the wedge check), and which
 * removals are pending (for their metric and the health report): destroys from the moment their
 * event is taken, other removals from their first failure, each until it is done. Work waiting in a
 * busy tenant's lane, or between two attempts, is not running: it cannot be wedged.
 */
@ApplicationScoped
public class ConsumerActivity {
  private final Map<Running, Instant> running = new ConcurrentHashMap<>();
  private final Map<PendingRemoval, Instant> pendingRemovals = new ConcurrentHashMap<>();
  private final Map<String, PendingRemoval> destroys = new ConcurrentHashMap<>();
  private final AtomicInteger unacknowledged = new AtomicInteger();
  private final Clock clock;

  public ConsumerActivity() {
    this(Clock.systemUTC());
  }

  ConsumerActivity(Clock clock) {
    this.clock = clock;
  }

  /** An attempt starts; each has its own handle, so a redelivered duplicate is counted apart. */
  Running started() {
    Running attempt = new Running();
    running.put(attempt, clock.instant());
    return attempt;
  }

  /** A removal not done yet, from when it is marked until it is done. */
  PendingRemoval removalPending() {
    PendingRemoval removal = new PendingRemoval();
    pendingRemovals.put(removal, clock.instant());
    return removal;
  }

  /**
   * A destroy's removal, pending from the moment its event is taken, by the event's coordinates:
   * marked once however often the event is delivered, until {@link #destroyDone}.
   */
  void destroyTaken(String coordinates) {
    destroys.computeIfAbsent(coordinates, taken -> removalPending());
  }

  /** That destroy's removal is done: confirmed, not ours, or its event is over. */
  void destroyDone(String coordinates) {
    Optional.ofNullable(destroys.remove(coordinates)).ifPresent(PendingRemoval::done);
  }

  /** An event taken from Kafka; {@link #acknowledged} when its acknowledgement is given. */
  void taken() {
    unacknowledged.incrementAndGet();
  }

  void acknowledged() {
    unacknowledged.decrementAndGet();
  }

  /** Events taken from Kafka and not acknowledged yet: running, waiting in a lane or to retry. */
  public int unacknowledged() {
    return unacknowledged.get();
  }

  public int inFlight() {
    return running.size();
  }

  /** When the longest-running attempt started, if any runs. */
  public Optional<Instant> oldestInFlightSince() {
    return running.values().stream().min(Instant::compareTo);
  }

  public int pendingRemovals() {
    return pendingRemovals.size();
  }

  /** How long the oldest removal has waited for RHSM; zero when none waits. */
  public Duration oldestPendingRemovalAge() {
    return pendingRemovals.values().stream()
        .min(Instant::compareTo)
        .map(since -> Duration.between(since, clock.instant()))
        .orElse(Duration.ZERO);
  }

  /** A running attempt. */
  final class Running {
    void finished() {
      running.remove(this);
    }
  }

  /** A removal waiting for RHSM. */
  final class PendingRemoval {
    void done() {
      pendingRemovals.remove(this);
    }
  }
}
