package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.Ledger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Reads every status as it is published: when, for which application, in which order per org. */
final class StatusCollector implements AutoCloseable {
  private final Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> orderByOrg = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread reader;

  StatusCollector(String bootstrapServers, String topic) {
    reader = new Thread(() -> read(bootstrapServers, topic), "status-collector");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(String bootstrapServers, String topic) {
    try (var consumer = Ledger.fromTheStart(bootstrapServers, "bench-collector")) {
      consumer.subscribe(List.of(topic));
      while (running.get()) {
        for (var status : consumer.poll(Duration.ofMillis(50))) {
          String value = status.value();
          int start = value.indexOf("\"resource_id\":\"") + 15;
          long applicationId = Long.parseLong(value.substring(start, value.indexOf('"', start)));
          publishedAt.putIfAbsent(applicationId, status.timestamp());
          orderByOrg
              .computeIfAbsent(status.key(), org -> new CopyOnWriteArrayList<>())
              .add(applicationId);
        }
      }
    }
  }

  /** When the first status of that application was published, or null. */
  Long publishedAt(long applicationId) {
    return publishedAt.get(applicationId);
  }

  long count(List<Long> applicationIds) {
    return applicationIds.stream().filter(publishedAt::containsKey).count();
  }

  List<Long> orderOf(String orgId) {
    return orderByOrg.getOrDefault(orgId, List.of());
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    reader.join(5000);
  }
}
