package com.redhat.cloudoreg.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of Sources' event stream, as it came: its place in the topic, key, raw headers and
 * body. The record itself is kept so that a dead letter can be replayed exactly.
 */
public record SourcesEvent(ConsumerRecord<String, String> record) {

  public static final String EVENT_TYPE = "event_type";

  public String topic() {
    return record.topic();
  }

  public int partition() {
    return record.partition();
  }

  public long offset() {
    return record.offset();
  }

  public String key() {
    return record.key();
  }

  public String body() {
    return record.value();
  }

  /** Each header's last value as UTF-8 text, as Kafka's {@code lastHeader} reads them. */
  public Map<String, String> headerValues() {
    Map<String, String> values = new HashMap<>();
    for (Header header : record.headers()) {
      values.put(header.key(), text(header));
    }
    return values;
  }

  /** The last {@code event_type} header; blank is none. */
  public Optional<String> eventType() {
    return Optional.ofNullable(record.headers().lastHeader(EVENT_TYPE))
        .map(SourcesEvent::text)
        .filter(type -> !type.isBlank());
  }

  /**
   * The ordering lane: Sources keys each tenant's events with its org id (else account, else
   * identity), so the key is the tenant as Sources ordered it; keyless records keep their
   * partition's order.
   */
  public String lane() {
    return key() != null ? TenantLanes.ofTenant(key()) : "partition:" + partition();
  }

  /** Where the record sits, for logs: never its content, which may hold secrets. */
  public String coordinates() {
    return topic() + "/" + partition() + "@" + offset();
  }

  private static String text(Header header) {
    return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
