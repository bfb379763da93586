package com.redhat.cloudoreg.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of Sources' event stream, as it came: its place in the topic, key, raw headers and
 * body. The raw form is kept so that a dead letter can be replayed exactly.
 */
public record SourcesEvent(
    String topic, int partition, long offset, String key, String body, List<Header> headers) {

  public static final String EVENT_TYPE = "event_type";

  /**
   * A Kafka header, raw. Its bytes are kept as they came for an exact replay; headers are never
   * compared, so the array's identity equality does not matter.
   */
  @SuppressWarnings("ArrayRecordComponent")
  public record Header(String name, byte[] value) {}

  static SourcesEvent of(ConsumerRecord<String, String> record) {
    List<Header> headers =
        java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
            .map(header -> new Header(header.key(), header.value()))
            .toList();
    return new SourcesEvent(
        record.topic(), record.partition(), record.offset(), record.key(), record.value(), headers);
  }

  /** Each header's last value as text, as Kafka's {@code lastHeader} reads them. */
  public Map<String, String> headerValues() {
    Map<String, String> values = new HashMap<>();
    for (Header header : headers) {
      values.put(
          header.name(),
          header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
    }
    return values;
  }

  /** The last {@code event_type} header, as Kafka's {@code lastHeader} reads it; blank is none. */
  public Optional<String> eventType() {
    for (int i = headers.size() - 1; i >= 0; i--) {
      Header header = headers.get(i);
      if (EVENT_TYPE.equals(header.name())) {
        return Optional.ofNullable(header.value())
            .map(value -> new String(value, StandardCharsets.UTF_8))
            .filter(type -> !type.isBlank());
      }
    }
    return Optional.empty();
  }

  /**
   * The ordering lane: Sources keys each tenant's events with its org id (else account, else
   * identity), so the key is the tenant as Sources ordered it; keyless records keep their
   * partition's order.
   */
  public String lane() {
    return key != null ? TenantLanes.ofTenant(key) : "partition:" + partition;
  }

  /** Where the record sits, for logs: never its content, which may hold secrets. */
  public String coordinates() {
    return topic + "/" + partition + "@" + offset;
  }
}
