package com.redhat.cloudoreg.stack;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces Sources events to the real event topic, as Sources does. */
public final class Events implements AutoCloseable {
  private final KafkaProducer<String, String> producer;
  private final String topic;

  public Events(String bootstrapServers) {
    this(bootstrapServers, Stack.EVENT_TOPIC);
  }

  /** Produces to another event topic, e.g. a deployment's with Clowder's renamed topics. */
  public Events(String bootstrapServers, String topic) {
    this.topic = topic;
    producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                // sent at once, as a service producing one event at a time would: Kafka 4's
                // default of 5 ms would be counted in every produce-to-status latency
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                // one request at a time: with several in flight, a first batch refused by a
                // just-created partition made the idempotent producer loop on
                // OUT_OF_ORDER_SEQUENCE_NUMBER (seen producing a benchmark backlog)
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                2 * 1024 * 1024),
            new StringSerializer(),
            new StringSerializer());
  }

  /**
   * Connects and learns the topic's partitions now, so that the first event's timestamp (set when
   * it is sent) does not include this producer's own set-up.
   */
  public void connect() {
    producer.partitionsFor(topic);
  }

  /** Sends one event and waits until the broker has it. Null header values send no header. */
  public void send(String key, Map<String, String> headers, String body) {
    send(
        key,
        List.copyOf(headers.entrySet()).stream().filter(h -> h.getValue() != null).toList(),
        body);
  }

  private final Map<Long, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Sends one event without waiting; the broker's timestamp of it is kept under {@code tag} (see
   * {@link #sentAt}). For producing thousands of events quickly.
   */
  public void sendAsync(String key, Map<String, String> headers, String body, long tag) {
    sendAsync(null, key, headers, body, tag);
  }

  /**
   * As {@link #sendAsync(String, Map, String, long)}, to that partition ({@code null}: the key's),
   * as Sources writes every event to partition 0.
   */
  public void sendAsync(
      Integer partition, String key, Map<String, String> headers, String body, long tag) {
    var record = new ProducerRecord<>(topic, partition, key, body);
    headers.forEach(
        (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
    // the callback receives the outcome
    var unused =
        producer.send(
            record,
            (metadata, failure) -> {
              if (failure == null) {
                sentAt.put(tag, metadata.timestamp());
              }
            });
  }

  /** Whether the broker has acknowledged the event sent with that tag. */
  public boolean acknowledged(long tag) {
    return sentAt.containsKey(tag);
  }

  /** The Kafka timestamp of the event sent with that tag. */
  public long sentAt(long tag) {
    return sentAt.get(tag);
  }

  /** Sends one event with headers in that order, repeated names included. */
  public void send(String key, List<Map.Entry<String, String>> headers, String body) {
    var record = new ProducerRecord<>(topic, key, body);
    headers.forEach(
        header ->
            record
                .headers()
                .add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)));
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce event", e);
    }
  }

  /** The headers of Sources' create event for a tenant, as in the contract sample. */
  public static Map<String, String> createHeaders(
      String orgId, String accountNumber, String identity) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-rh-sources-account-number", accountNumber);
    headers.put("x-rh-sources-org-id", orgId);
    headers.put("x-rh-identity", identity);
    headers.put("event_type", "ApplicationAuthentication.create");
    headers.put("encoding", "json");
    return headers;
  }

  /** The body of Sources' create event, ids as JSON numbers. */
  public static String createBody(
      long applicationAuthenticationId, long applicationId, long authenticationId) {
    return "{\"id\":"
        + applicationAuthenticationId
        + ",\"created_at\":\"2024-05-01 12:34:56 UTC\",\"updated_at\":\"2024-05-01 12:34:56 UTC\","
        + "\"paused_at\":null,\"application_id\":"
        + applicationId
        + ",\"authentication_id\":"
        + authenticationId
        + ",\"tenant\":\"1234567\"}";
  }

  @Override
  public void close() {
    producer.close();
  }
}
