package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.TrustFlow;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The door from Sources' event stream. Events of different tenants are processed concurrently,
 * events of one tenant (Sources' Kafka key) in order. Each event is acknowledged only after its
 * outcome is safely in Kafka; the connector commits a partition's offset only up to the first event
 * not yet acknowledged, and stops fetching at {@code CLOUDOREG_MAX_IN_FLIGHT} unacknowledged
 * events. Nothing is ever nacked: a nack (or an exception escaping here) stops Liberty's Kafka
 * stream for good, so an event whose outcome could not be delivered stays unacknowledged instead.
 */
@ApplicationScoped
public class SourcesEventConsumer {
  private static final Logger LOG = Logger.getLogger(SourcesEventConsumer.class.getName());

  private final TrustFlow flow;
  private final DeadLetters deadLetters;
  private final TenantLanes lanes;
  private final InFlightLimit limit;
  private final ConsumerActivity activity;
  private final FlowMetrics metrics;

  @Inject
  public SourcesEventConsumer(
      TrustFlow flow,
      DeadLetters deadLetters,
      TenantLanes lanes,
      InFlightLimit limit,
      ConsumerActivity activity,
      FlowMetrics metrics) {
    this.flow = flow;
    this.deadLetters = deadLetters;
    this.lanes = lanes;
    this.limit = limit;
    this.activity = activity;
    this.metrics = metrics;
    metrics.inFlightGauge(activity::inFlight);
  }

  protected SourcesEventConsumer() {
    this.flow = null;
    this.deadLetters = null;
    this.lanes = null;
    this.limit = null;
    this.activity = null;
    this.metrics = null;
  }

  /** Completes when the event is under way, so that the stream delivers the next one. */
  @Incoming(Channels.SOURCES_EVENTS_IN)
  public CompletionStage<Void> consume(Message<String> message) {
    @SuppressWarnings("unchecked")
    SourcesEvent event = SourcesEvent.of(message.unwrap(ConsumerRecord.class));
    return limit.acquire().thenRun(() -> dispatch(event, message));
  }

  private void dispatch(SourcesEvent event, Message<String> message) {
    activity.started(event);
    lanes
        .submit(event.lane(), () -> handleSafely(event))
        .whenComplete(
            (done, undelivered) -> {
              activity.finished(event);
              limit.release();
              if (undelivered == null) {
                message.ack();
              } else {
                LOG.log(
                    Level.SEVERE,
                    "Outcome of event {0} not delivered to Kafka; leaving it unacknowledged: {1}",
                    new Object[] {event.coordinates(), undelivered.toString()});
              }
            });
  }

  /** A bug of ours must not stop the stream either: the event is kept as a dead letter. */
  private CompletionStage<Void> handleSafely(SourcesEvent event) {
    try {
      return flow.handle(event);
    } catch (RuntimeException bug) {
      LOG.log(Level.SEVERE, "Event " + event.coordinates() + " broke the flow", bug);
      metrics.deadLettered(FlowMetrics.DeadLetterKind.INTERNAL_ERROR);
      return deadLetters.send(event, "internal error: " + bug.getClass().getSimpleName());
    }
  }
}
