package com.redhat.cloudoreg.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.ledger.RecordEmitter;
import com.redhat.cloudoreg.outcome.Outcome;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A status the channel cannot take now is a failed publication, for the caller to publish again, as
 * one Kafka refused: never an exception thrown at the flow, which would take a decided event for a
 * bug and dead-letter it.
 */
class StatusPublisherTest {
  private static final Tenant TENANT = new Tenant("7654321", Optional.empty());

  @Test
  void aStatusTheChannelCannotTakeIsAFailedPublicationNotAThrow() {
    StatusPublisher publisher = new StatusPublisher(new FullChannel(), "status", "live");

    CompletionStage<Void> published = publisher.publish(TENANT, 101, Outcome.TRUSTED);

    assertThat(published.toCompletableFuture())
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining("SRMSG00034");
  }

  /** A channel whose buffer is full, as SmallRye's emitter says it: by throwing. */
  static final class FullChannel extends RecordEmitter {
    @Override
    public CompletionStage<Void> send(ProducerRecord<String, String> record) {
      throw new IllegalStateException("SRMSG00034: Insufficient downstream requests");
    }
  }
}
