package com.redhat.cloudoreg.health;

import com.redhat.cloudoreg.events.ConsumerActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the event stream is. Liberty's Kafka stream, once shut down (a nack, an exception
 * escaping the consumer), stays down until a restart, and its consumer leaves the group; an event
 * stuck far beyond any retry budget means a wedged worker. Either way only a restart helps, so
 * liveness goes DOWN. Kafka being unreachable is not ours to fix by restarting: that is readiness.
 */
@Liveness
@ApplicationScoped
public class ConsumerLivenessCheck implements HealthCheck {
  private final KafkaProbe kafka;
  private final ConsumerActivity activity;
  private final StreamVerdict verdict;

  @Inject
  public ConsumerLivenessCheck(
      KafkaProbe kafka,
      ConsumerActivity activity,
      @ConfigProperty(name = "CLOUDOREG_LIVENESS_WEDGED_AFTER", defaultValue = "PT5M")
          Duration wedgedAfter,
      @ConfigProperty(name = "CLOUDOREG_LIVENESS_OUT_OF_GROUP_AFTER", defaultValue = "PT2M")
          Duration outOfGroupAfter) {
    this.kafka = kafka;
    this.activity = activity;
    this.verdict = new StreamVerdict(Clock.systemUTC(), wedgedAfter, outOfGroupAfter);
  }

  protected ConsumerLivenessCheck() {
    this.kafka = null;
    this.activity = null;
    this.verdict = null;
  }

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.View view = kafka.view();
    StreamVerdict.Judgement judgement =
        verdict.judge(activity.oldestInFlightSince(), view.reachable(), view.member());
    return HealthCheckResponse.named("event-stream")
        .status(judgement.alive())
        .withData("in-flight", activity.inFlight())
        // removals wait for RHSM however long it takes: shown here, never a reason to restart
        .withData("pending-removals", activity.pendingRemovals())
        .withData("oldest-pending-removal-seconds", activity.oldestPendingRemovalAge().toSeconds())
        .withData("reason", judgement.reason())
        .build();
  }

  /** Liveness as a pure function of what we see and when, so it can be tested with a clock. */
  static final class StreamVerdict {
    private final Clock clock;
    private final Duration wedgedAfter;
    private final Duration outOfGroupAfter;
    private Instant lastInGroup;

    StreamVerdict(Clock clock, Duration wedgedAfter, Duration outOfGroupAfter) {
      this.clock = clock;
      this.wedgedAfter = wedgedAfter;
      this.outOfGroupAfter = outOfGroupAfter;
      this.lastInGroup = clock.instant();
    }

    synchronized Judgement judge(
        java.util.Optional<Instant> oldestInFlight, boolean kafkaReachable, boolean inGroup) {
      Instant now = clock.instant();
      if (oldestInFlight.isPresent() && oldestInFlight.get().plus(wedgedAfter).isBefore(now)) {
        return new Judgement(false, "an event has been in flight since " + oldestInFlight.get());
      }
      if (inGroup || !kafkaReachable) {
        // an unreachable broker tells nothing about our stream: the grace starts anew after it
        lastInGroup = now;
        return new Judgement(true, inGroup ? "consuming" : "kafka unreachable");
      }
      if (lastInGroup.plus(outOfGroupAfter).isBefore(now)) {
        return new Judgement(false, "consumer out of its group since " + lastInGroup);
      }
      return new Judgement(true, "joining");
    }

    record Judgement(boolean alive, String reason) {}
  }
}
