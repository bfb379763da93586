package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.Ledger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every status as it is published: when, for which application, with which availability, in
 * which order per org. Only the expected outcome ({@code available}) counts as served; any other is
 * kept apart so that the report can say so instead of counting it as throughput.
 */
final class StatusCollector implements AutoCloseable {
  static final String EXPECTED = "available";
  private static final Pattern RESOURCE_ID = Pattern.compile("\"resource_id\":\"(\\d+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\":\"([^\"]*)\"");

  private final Map<Long, Long> availableAt = new ConcurrentHashMap<>();
  private final Map<Long, String> otherOutcome = new ConcurrentHashMap<>();
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
          Matcher id = RESOURCE_ID.matcher(status.value());
          Matcher availability = STATUS.matcher(status.value());
          if (!id.find()) {
            continue;
          }
          long applicationId = Long.parseLong(id.group(1));
          String outcome = availability.find() ? availability.group(1) : "?";
          if (EXPECTED.equals(outcome)) {
            availableAt.putIfAbsent(applicationId, status.timestamp());
          } else {
            otherOutcome.putIfAbsent(applicationId, outcome);
          }
          orderByOrg
              .computeIfAbsent(status.key(), org -> new CopyOnWriteArrayList<>())
              .add(applicationId);
        }
      }
    }
  }

  /** When the first {@code available} status of that application was published, or null. */
  Long publishedAt(long applicationId) {
    return availableAt.get(applicationId);
  }

  /** How many of these applications have a status, whatever it says. */
  long answered(List<Long> applicationIds) {
    return applicationIds.stream()
        .filter(id -> availableAt.containsKey(id) || otherOutcome.containsKey(id))
        .count();
  }

  /** Those of these applications reported {@code available}. */
  List<Long> available(List<Long> applicationIds) {
    return applicationIds.stream().filter(availableAt::containsKey).toList();
  }

  /**
   * The outcomes other than {@code available} among these applications, as "unavailable ×3", or
   * "none".
   */
  String others(List<Long> applicationIds) {
    Map<String, Integer> counts = new TreeMap<>();
    applicationIds.stream()
        .map(otherOutcome::get)
        .filter(java.util.Objects::nonNull)
        .forEach(outcome -> counts.merge(outcome, 1, Integer::sum));
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (outcome, n) ->
            text.append(text.length() == 0 ? "" : ", ").append(outcome).append(" ×").append(n));
    return text.toString();
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
