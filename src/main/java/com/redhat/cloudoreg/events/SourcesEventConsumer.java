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
 * acknowledged and stops fetching at {@code CLOUDOREG_MAX_UNACKED} unacknowledged events; how many
 * run at once is bounded apart ({@link Attempts}). Nothing is ever nacked: a nack (or an exception
 * escaping here) stops Liberty's Kafka stream for good.
 */
@ApplicationScoped
public class SourcesEventConsumer {
  private static final Logger LOG = Logger.getLogger(SourcesEventConsumer.class.getName());

  private final EventRouter router;
  private final TenantLanes lanes;
  private final WarmUpGate warmUp;

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
    metrics.inFlightGauge(activity::inFlight);
    metrics.pendingRemovalGauges(
        activity::pendingRemovals, () -> activity.oldestPendingRemovalAge().toSeconds());
  }

  protected SourcesEventConsumer() {
    this.router = null;
    this.lanes = null;
    this.warmUp = null;
  }

  /**
   * Takes the event into its tenant's lane, to be routed once the warm-up is over, and asks for the
   * next one at once.
   */
  @Incoming(Channels.SOURCES_EVENTS_IN)
  public CompletionStage<Void> consume(Message<String> message) {
    @SuppressWarnings("unchecked")
    SourcesEvent event = new SourcesEvent(message.unwrap(ConsumerRecord.class));
    lanes
        .submit(event.lane(), () -> warmUp.opened().thenCompose(open -> router.route(event)))
        .whenComplete(
            (settled, bug) -> {
              if (bug == null) {
                message.ack();
              } else {
                // the router never fails; should it, the event stays for redelivery
                LOG.log(Level.SEVERE, "Event " + event.coordinates() + " not settled", bug);
              }
            });
    return CompletableFuture.completedFuture(null);
  }
}
