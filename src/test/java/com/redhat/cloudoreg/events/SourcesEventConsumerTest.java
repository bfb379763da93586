package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.metrics.FlowMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SourcesEventConsumerTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Long> routed = new CopyOnWriteArrayList<>();
  private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
  private final List<Long> keptAfterBug = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final WarmUpGate warmUp = new WarmUpGate();
  private final CompletableFuture<Void> held = new CompletableFuture<>();
  private final CompletableFuture<Void> destroyTried = new CompletableFuture<>();
  private final ConsumerActivity activity = new ConsumerActivity();
  private final SourcesEventConsumer consumer =
      new SourcesEventConsumer(
          new RecordingRouter(), new TenantLanes(executor), warmUp, activity, new NoGauges());

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void eventsTakenBeforeTheWarmUpIsOverWaitUnacknowledgedThenRunInEachTenantsOrder() {
    consumer.consume(event("org-a", 0));
    consumer.consume(event("org-b", 1));
    consumer.consume(event("org-a", 2));

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(routed::isEmpty);
    assertThat(acknowledged).as("nothing acknowledged before it ran").isEmpty();

    warmUp.open();
    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.size() == 3);
    assertThat(routed).containsExactlyInAnyOrder(0L, 1L, 2L);
    assertThat(routed.indexOf(2L)).as("org-a's order").isGreaterThan(routed.indexOf(0L));

    consumer.consume(event("org-b", 3));
    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.contains(3L));
    assertThat(routed).contains(3L);
  }

  @Test
  void anEventWhoseRoutingFailsIsKeptAsADeadLetterAndAcknowledgedNotLeftForARestart() {
    warmUp.open();
    failing.set(true);

    consumer.consume(event("org-a", 7));

    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.contains(7L));
    assertThat(keptAfterBug).containsExactly(7L);
  }

  /**
   * A destroy queued behind its tenant's event that keeps waiting (a peer failing for that one
   * application, for days) is a removal waiting: pending from the moment it is taken, in the metric
   * and the health report (outcomes.md), until its own turn comes.
   */
  @Test
  void aDestroyWaitingBehindItsTenantsEarlierEventIsAPendingRemoval() {
    warmUp.open();
    consumer.consume(event("org-a", 10, "ApplicationAuthentication.create"));
    await().atMost(Duration.ofSeconds(5)).until(() -> routed.contains(10L));

    consumer.consume(event("org-a", 11, "Application.destroy"));
    consumer.consume(event("org-b", 12, "Application.destroy"));

    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.contains(12L));
    assertThat(activity.pendingRemovals()).as("org-a's destroy, behind the create").isEqualTo(1);
    assertThat(routed).doesNotContain(11L);
    await().atMost(Duration.ofSeconds(2)).until(() -> !activity.oldestPendingRemovalAge().isZero());
    Duration waited = activity.oldestPendingRemovalAge();

    // its turn: still pending while it is tried (RHSM has not confirmed it), its age not reset
    held.complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> routed.contains(11L));
    assertThat(activity.pendingRemovals()).isEqualTo(1);
    assertThat(activity.oldestPendingRemovalAge()).isGreaterThanOrEqualTo(waited);

    destroyTried.complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged.contains(11L));
    assertThat(activity.pendingRemovals()).isZero();
  }

  private Message<String> event(String org, long offset) {
    return event(org, offset, null);
  }

  private Message<String> event(String org, long offset, String type) {
    RecordHeaders headers = new RecordHeaders();
    if (type != null) {
      headers.add("event_type", type.getBytes(StandardCharsets.UTF_8));
    }
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(
            "platform.sources.event-stream",
            0,
            offset,
            0L,
            TimestampType.CREATE_TIME,
            0,
            0,
            org,
            "{}",
            headers,
            Optional.empty());
    return new Message<>() {
      @Override
      public String getPayload() {
        return record.value();
      }

      @Override
      public Supplier<CompletionStage<Void>> getAck() {
        return () -> {
          acknowledged.add(offset);
          return CompletableFuture.completedFuture(null);
        };
      }

      @Override
      @SuppressWarnings("unchecked")
      public <C> C unwrap(Class<C> unwrapType) {
        return (C) record;
      }
    };
  }

  /** Records which events were routed, in the order they ran; routing can be made to throw. */
  private final class RecordingRouter extends EventRouter {
    @Override
    public CompletionStage<Void> route(SourcesEvent event) {
      if (failing.get()) {
        throw new IllegalStateException("a bug in routing");
      }
      routed.add(event.record().offset());
      // the create and the destroy of the pending-removal test wait until the test lets them go
      if (event.record().offset() == 10L) {
        return held;
      }
      return event.record().offset() == 11L
          ? destroyTried
          : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> keepAfterBug(SourcesEvent event, Throwable failure) {
      keptAfterBug.add(event.record().offset());
      return CompletableFuture.completedFuture(null);
    }
  }

  private static final class NoGauges extends FlowMetrics {
    @Override
    public void inFlightGauge(Supplier<Number> inFlight) {}

    @Override
    public void pendingRemovalGauges(Supplier<Number> count, Supplier<Number> oldestSeconds) {}

    @Override
    public void unacknowledgedGauge(Supplier<Number> unacknowledged) {}
  }
}
