package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Re-feeds dead letters to Sources' event topic exactly as they first came (key, headers, body),
 * without cloudoreg's reason headers. Its consumer group remembers what was replayed, so each dead
 * letter is replayed once; the replayed event is processed like any other and, if it fails again,
 * becomes a new dead letter.
 */
@ApplicationScoped
public class DeadLetterReplay {
  private static final String CONNECTOR_PREFIX = "mp.messaging.connector.liberty-kafka.";
  private static final Duration QUIET = Duration.ofSeconds(2);

  private final Config config;

  @Inject
  public DeadLetterReplay(Config config) {
    this.config = config;
  }

  protected DeadLetterReplay() {
    this(null);
  }

  /** Replays up to {@code limit} dead letters; returns how many. */
  public synchronized int replay(int limit) {
    String deadLetterTopic = config.getValue("CLOUDOREG_DEAD_LETTER_TOPIC", String.class);
    String eventTopic = config.getValue("SOURCES_EVENT_TOPIC", String.class);
    Map<String, Object> consumerConfig = kafkaConfig();
    consumerConfig.put(
        ConsumerConfig.GROUP_ID_CONFIG,
        config.getValue("KAFKA_GROUP_ID", String.class) + "-dead-letter-replay");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, Math.min(limit, 500)));
    Map<String, Object> producerConfig = kafkaConfig();
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    int replayed = 0;
    try (var consumer =
            new KafkaConsumer<>(
                consumerConfig, new StringDeserializer(), new StringDeserializer());
        var producer =
            new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      consumer.subscribe(List.of(deadLetterTopic));
      while (replayed < limit) {
        var batch = consumer.poll(QUIET);
        if (batch.isEmpty()) {
          break;
        }
        List<Future<RecordMetadata>> sent =
            StreamSupport.stream(batch.spliterator(), false)
                .map(letter -> producer.send(original(eventTopic, letter)))
                .toList();
        for (Future<RecordMetadata> delivery : sent) {
          delivery.get();
        }
        consumer.commitSync();
        replayed += sent.size();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("replay stopped: the event topic did not take a record", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
    return replayed;
  }

  static ProducerRecord<String, String> original(
      String eventTopic, ConsumerRecord<String, String> letter) {
    var record = new ProducerRecord<>(eventTopic, letter.key(), letter.value());
    letter
        .headers()
        .forEach(
            header -> {
              if (!header.key().startsWith(DeadLetters.REASON_HEADER_PREFIX)) {
                record.headers().add(header);
              }
            });
    return record;
  }

  /** The connector's own client settings (brokers, and SASL/TLS where Clowder gives them). */
  private Map<String, Object> kafkaConfig() {
    Map<String, Object> settings = new HashMap<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith(CONNECTOR_PREFIX)) {
        config
            .getOptionalValue(name, String.class)
            .ifPresent(value -> settings.put(name.substring(CONNECTOR_PREFIX.length()), value));
      }
    }
    return settings;
  }
}
