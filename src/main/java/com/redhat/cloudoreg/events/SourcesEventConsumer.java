package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.kafka.Channels;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The door from Sources' event stream. Events of different tenants are processed concurrently,
 * events of one tenant (Sources' Kafka key) in order, each acknowledged only after its outcome is
 * safely in Kafka. The connector commits a partition's offset only up to the first event not yet
 * acknowledged; how many run at once is bounded apart ({@link Attempts}). Nothing is ever nacked: a
 * nack (or an exception escaping here) stops Liberty's Kafka stream for good.
 *
 * <p>Events that wait (for a peer to come back, behind their tenant's waiting event) wait here, in
 * memory, unacknowledged, while the consumer goes on polling. Liberty's connector stops polling at
 * {@code CLOUDOREG_MAX_UNACKED} unacknowledged events, and Kafka evicts a consumer that has not
 * polled for {@code max.poll.interval.ms}, redelivering everything it held to whoever joins next —
 * so the bound is set far above what a long outage brings (a waiting event costs ~2 KB), and {@code
 * cloudoreg_events_unacknowledged} shows how close it is.
 */
@ApplicationScoped
public class SourcesEventConsumer {
  private static final Logger LOG = Logger.getLogger(SourcesEventConsumer.class.getName());

  private final EventRouter router;
  private final TenantLanes lanes;
  private final WarmUpGate warmUp;
  private final ConsumerActivity activity;

  @Inject
  public SourcesEventConsumer(
      EventRouter router,
      TenantLanes lanes,
      WarmUpGate warmUp,
      ConsumerActivity activity,
      FlowMetrics metrics) {
    this.router = router;
    this.lanes = lanes;
    this.warmUp = warmUp;
    this.activity = activity;
    metrics.inFlightGauge(activity::inFlight);
    metrics.unacknowledgedGauge(activity::unacknowledged);
    metrics.pendingRemovalGauges(
        activity::pendingRemovals, () -> activity.oldestPendingRemovalAge().toSeconds());
  }

  protected SourcesEventConsumer() {
    this.router = null;
    this.lanes = null;
    this.warmUp = null;
    this.activity = null;
  }

  /**
   * Takes the event into its tenant's lane, to be routed once the warm-up is over, and asks for the
   * next one at once. The event is acknowledged once routed; should routing fail all the same (a
   * bug), once the bug is logged and the event kept as a dead letter: an event is never left
   * unacknowledged until a restart.
   */
  @Incoming(Channels.SOURCES_EVENTS_IN)
  public CompletionStage<Void> consume(Message<String> message) {
    @SuppressWarnings("unchecked")
    SourcesEvent event = new SourcesEvent(message.unwrap(ConsumerRecord.class));
    activity.taken();
    // a destroy waits for its tenant's earlier events (one may keep failing for days), the warm-up
    // and a processing slot before its removal is tried, and then until RHSM confirms it: a
    // removal pending from now until it is confirmed (Removals) or its event is done, its age
    // counted from now; which application type it was is known only once it is tried
    boolean destroy = event.eventType().filter(EventTypes.APPLICATION_DESTROY::equals).isPresent();
    if (destroy) {
      activity.destroyTaken(event.coordinates());
    }
    lanes
        .submit(event.lane(), () -> warmUp.opened().thenCompose(open -> router.route(event)))
        .exceptionallyCompose(bug -> router.keepAfterBug(event, bug))
        .whenComplete(
            (settled, lost) -> {
              if (destroy) {
                activity.destroyDone(event.coordinates());
              }
              if (lost != null) {
                // not even kept as a dead letter: a second bug, in the keeping itself
                LOG.log(Level.SEVERE, "Event " + event.coordinates() + " lost to a bug", lost);
              }
              activity.acknowledged();
              message.ack();
            });
    return CompletableFuture.completedFuture(null);
  }
}
