package com.redhat.cloudoreg.deadletters;

import com.redhat.cloudoreg.kafka.Channels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Keeps what cannot be processed or reported: the original key, headers and body unchanged, so an
 * operator can replay it, plus headers saying why and where it came from.
 */
@ApplicationScoped
public class DeadLetters {
  /** Every header cloudoreg adds starts so; a replay strips them. */
  public static final String REASON_HEADER_PREFIX = "cloudoreg-";

  static final String SOURCE_PARTITION = REASON_HEADER_PREFIX + "source-partition";

  private final Emitter<ProducerRecord<String, String>> emitter;
  private final String topic;

  @Inject
  public DeadLetters(
      @Channel(Channels.DEAD_LETTER_OUT) Emitter<ProducerRecord<String, String>> emitter,
      @ConfigProperty(name = "CLOUDOREG_DEAD_LETTER_TOPIC") String topic) {
    this.emitter = emitter;
    this.topic = topic;
  }

  protected DeadLetters() {
    this(null, null);
  }

  /**
   * Completes once Kafka has confirmed the dead letter; fails when it or the channel refused it.
   */
  public CompletionStage<Void> send(ConsumerRecord<String, String> original, String reason) {
    return Channels.send(emitter, record(topic, original, reason));
  }

  static ProducerRecord<String, String> record(
      String topic, ConsumerRecord<String, String> original, String reason) {
    var record = new ProducerRecord<>(topic, original.key(), original.value());
    original.headers().forEach(header -> record.headers().add(header.key(), header.value()));
    record.headers().add(REASON_HEADER_PREFIX + "error", bytes(reason));
    record.headers().add(REASON_HEADER_PREFIX + "source-topic", bytes(original.topic()));
    record.headers().add(SOURCE_PARTITION, bytes(Integer.toString(original.partition())));
    record
        .headers()
        .add(REASON_HEADER_PREFIX + "source-offset", bytes(Long.toString(original.offset())));
    return record;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
