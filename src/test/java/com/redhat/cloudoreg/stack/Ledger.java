package com.redhat.cloudoreg.stack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything cloudoreg published: every status and every dead letter, read by a real consumer from
 * the start of the topics, so tests count outcomes instead of sampling them.
 */
public final class Ledger implements AutoCloseable {
  private final List<ConsumerRecord<String, String>> statuses = new CopyOnWriteArrayList<>();
  private final List<ConsumerRecord<String, String>> deadLetters = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread reader;
  private final String statusTopic;
  private final String deadLetterTopic;

  Ledger(String bootstrapServers) {
    this(bootstrapServers, Stack.STATUS_TOPIC, Stack.DEAD_LETTER_TOPIC);
  }

  /** A ledger of other topics, e.g. a deployment's with Clowder's renamed topics. */
  public Ledger(String bootstrapServers, String statusTopic, String deadLetterTopic) {
    this.statusTopic = statusTopic;
    this.deadLetterTopic = deadLetterTopic;
    reader = new Thread(() -> read(bootstrapServers), "ledger");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(String bootstrapServers) {
    try (var consumer = fromTheStart(bootstrapServers, "ledger")) {
      consumer.subscribe(List.of(statusTopic, deadLetterTopic));
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          (statusTopic.equals(record.topic()) ? statuses : deadLetters).add(record);
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException stopping) {
      Thread.currentThread().interrupt();
    }
  }

  /** A consumer of its own group that reads topics from their first record. */
  public static KafkaConsumer<String, String> fromTheStart(
      String bootstrapServers, String purpose) {
    return new KafkaConsumer<>(
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            purpose + "-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        new StringDeserializer());
  }

  public List<ConsumerRecord<String, String>> statuses() {
    return List.copyOf(statuses);
  }

  public List<ConsumerRecord<String, String>> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** The statuses published for that application, in the order Kafka holds them. */
  public List<ConsumerRecord<String, String>> statusesFor(long applicationId) {
    String quoted = "\"resource_id\":\"" + applicationId + "\"";
    return statuses.stream().filter(record -> record.value().contains(quoted)).toList();
  }

  public static Optional<String> header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    running.set(false);
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
