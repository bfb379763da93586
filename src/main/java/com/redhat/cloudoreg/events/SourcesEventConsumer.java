package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.TrustFlow;
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
 * The door from Sources' event stream. Every event is acknowledged only after its outcome is safely
 * in Kafka, and never nacked: a nack (or an exception escaping here) stops Liberty's Kafka stream
 * for good, so an event whose outcome could not be delivered is left unacknowledged instead, and
 * its offset is not committed past.
 */
@ApplicationScoped
public class SourcesEventConsumer {
  private static final Logger LOG = Logger.getLogger(SourcesEventConsumer.class.getName());

  private final TrustFlow flow;
  private final DeadLetters deadLetters;

  @Inject
  public SourcesEventConsumer(TrustFlow flow, DeadLetters deadLetters) {
    this.flow = flow;
    this.deadLetters = deadLetters;
  }

  protected SourcesEventConsumer() {
    this(null, null);
  }

  @Incoming(Channels.SOURCES_EVENTS_IN)
  public CompletionStage<Void> consume(Message<String> message) {
    @SuppressWarnings("unchecked")
    SourcesEvent event = SourcesEvent.of(message.unwrap(ConsumerRecord.class));
    return handleSafely(event)
        .handle(
            (done, undelivered) -> {
              if (undelivered == null) {
                return message.ack();
              }
              LOG.log(
                  Level.SEVERE,
                  "Outcome of event {0} not delivered to Kafka; leaving it unacknowledged: {1}",
                  new Object[] {event.coordinates(), undelivered.toString()});
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(ack -> ack);
  }

  /** A bug of ours must not stop the stream either: the event is kept as a dead letter. */
  private CompletionStage<Void> handleSafely(SourcesEvent event) {
    try {
      return flow.handle(event);
    } catch (RuntimeException bug) {
      LOG.log(Level.SEVERE, "Event " + event.coordinates() + " broke the flow", bug);
      return deadLetters.send(event, "internal error: " + bug.getClass().getSimpleName());
    }
  }
}
