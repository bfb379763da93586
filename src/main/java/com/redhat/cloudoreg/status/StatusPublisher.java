package com.redhat.cloudoreg.status;

import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.kafka.Channels;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes outcomes to Sources' status topic; in shadow mode, nothing (see {@link Mode}). */
@ApplicationScoped
public class StatusPublisher {
  private final Emitter<ProducerRecord<String, String>> emitter;
  private final String topic;
  private final Mode mode;

  @Inject
  public StatusPublisher(
      @Channel(Channels.SOURCES_STATUS_OUT) Emitter<ProducerRecord<String, String>> emitter,
      @ConfigProperty(name = "SOURCES_STATUS_TOPIC") String topic,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this.emitter = emitter;
    this.topic = topic;
    this.mode = Mode.of(mode);
  }

  protected StatusPublisher() {
    this(null, null, null);
  }

  /**
   * Completes once Kafka has confirmed the status, or at once when the outcome reports nothing;
   * fails when the broker or the channel did not take it.
   */
  public CompletionStage<Void> publish(Tenant tenant, long applicationId, Outcome outcome) {
    if (mode.isShadow()) {
      return nothing();
    }
    return StatusRecords.of(topic, tenant, applicationId, outcome)
        .map(status -> Channels.send(emitter, status))
        .orElseGet(StatusPublisher::nothing);
  }

  /** Nothing to publish: done at once. */
  public static CompletionStage<Void> nothing() {
    return CompletableFuture.completedFuture(null);
  }
}
