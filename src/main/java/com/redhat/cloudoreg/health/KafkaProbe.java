package com.redhat.cloudoreg.health;

import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What Kafka says about us: is the cluster reachable, is our consumer a member of its group, how
 * many partitions it holds, how far our group is behind the event topic's end — and whether a
 * committed offset fell below the oldest event the topic still keeps (retention removed events we
 * never saw: the consumer starts again at the oldest kept, {@code auto.offset.reset=earliest};
 * logged and counted here, once per offset). One admin client for the life of the application, and
 * answers reused for a couple of seconds, so probes and scrapes stay cheap however often they ask.
 */
@ApplicationScoped
public class KafkaProbe {
  private static final Logger LOG = Logger.getLogger(KafkaProbe.class.getName());
  private static final Duration FRESH = Duration.ofSeconds(2);
  private static final long TIMEOUT_MS = 2000;

  private final KafkaClientSettings settings;
  private final FlowMetrics metrics;
  private final Clock clock = Clock.systemUTC();
  private final Map<TopicPartition, Long> outOfRangeAt = new HashMap<>();
  private Admin admin;
  private View last;

  @Inject
  public KafkaProbe(KafkaClientSettings settings, FlowMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    if (metrics != null) {
      metrics.consumerLagGauge(() -> view().lag());
    }
  }

  protected KafkaProbe() {
    this(null, null);
  }

  /** What Kafka said at most a couple of seconds ago. */
  public synchronized View view() {
    Instant now = clock.instant();
    if (last == null || last.at().plus(FRESH).isBefore(now)) {
      View previous = last;
      last = ask();
      logChange(previous, last);
    }
    return last;
  }

  /**
   * One line when Kafka stops answering and one when it answers again: server.xml silences the
   * Kafka clients' own connection warnings, one per client per second of an outage.
   */
  static void logChange(View previous, View now) {
    boolean wasReachable = previous == null || previous.reachable();
    if (wasReachable && !now.reachable()) {
      LOG.log(Level.WARNING, "Kafka is unreachable ({0}); events wait for it", now.detail());
    } else if (!wasReachable && now.reachable()) {
      LOG.log(Level.INFO, "Kafka is reachable again");
    }
  }

  /**
   * What Kafka says now; each view stamped when its answer came, so that a slow answer is not asked
   * again by the probe queued behind it.
   */
  private View ask() {
    try {
      admin().describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception unreachable) {
      return new View(clock.instant(), false, false, 0, -1, describe(unreachable));
    }
    String group = settings.value("KAFKA_GROUP_ID");
    String clientId = settings.value("mp.messaging.incoming.sources-events-in.client.id");
    try {
      ConsumerGroupDescription description =
          admin()
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<MemberDescription> ours =
          description.members().stream().filter(m -> clientId.equals(m.clientId())).toList();
      int partitions = ours.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
      long lag = lagOrUnknown(group);
      return new View(
          clock.instant(),
          true,
          !ours.isEmpty(),
          partitions,
          lag,
          "group " + description.groupState());
    } catch (Exception groupUnknown) {
      return new View(clock.instant(), true, false, 0, -1, describe(groupUnknown));
    }
  }

  /**
   * The lag, or -1 when Kafka did not tell it (a partition without a leader, a slow broker): an
   * unknown lag says nothing about our membership, which readiness and liveness judge by.
   */
  private long lagOrUnknown(String group) {
    try {
      return lag(group);
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception unknown) {
      LOG.log(Level.FINE, "Consumer lag unknown: {0}", describe(unknown));
      return -1;
    }
  }

  /**
   * Events on the topic after our group's committed offsets (from the oldest kept where a partition
   * has none or one below it); notes offsets that fell out of range.
   */
  private long lag(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin()
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    String topic = settings.value("SOURCES_EVENT_TOPIC");
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    List<TopicPartition> leaderless = new ArrayList<>();
    admin()
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .get(topic)
        .partitions()
        .forEach(
            info -> {
              TopicPartition partition = new TopicPartition(topic, info.partition());
              earliest.put(partition, OffsetSpec.earliest());
              latest.put(partition, OffsetSpec.latest());
              if (info.leader() == null) {
                leaderless.add(partition);
              }
            });
    if (!leaderless.isEmpty()) {
      // its offsets cannot be listed until it has a leader: asking would only wait out the timeout
      throw new IllegalStateException("no leader for " + leaderless);
    }
    Map<TopicPartition, ListOffsetsResultInfo> start =
        admin().listOffsets(earliest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> end =
        admin().listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    long lag = 0;
    for (TopicPartition partition : end.keySet()) {
      long oldest = start.get(partition).offset();
      long position = committed.containsKey(partition) ? committed.get(partition).offset() : oldest;
      if (position < oldest) {
        outOfRange(group, partition, position, oldest);
        position = oldest;
      }
      lag += Math.max(0, end.get(partition).offset() - position);
    }
    return lag;
  }

  private void outOfRange(String group, TopicPartition partition, long committed, long oldest) {
    Long seen = outOfRangeAt.put(partition, committed);
    if (seen == null || seen != committed) {
      metrics.offsetOutOfRange();
      LOG.log(
          Level.WARNING,
          "Consumer group {0} committed offset {1} of {2}, but the oldest event kept is at {3}:"
              + " events {1} to {4} were removed by retention before we saw them; the consumer"
              + " starts again at {3}",
          new Object[] {group, committed, partition, oldest, oldest - 1});
    }
  }

  private Admin admin() {
    if (admin == null) {
      Map<String, Object> config = settings.connection();
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "cloudoreg-health");
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
      admin = Admin.create(config);
    }
    return admin;
  }

  private static String describe(Exception failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause.getClass().getSimpleName();
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }

  /** One answer from Kafka; {@code lag} -1 when unknown. */
  public record View(
      Instant at,
      boolean reachable,
      boolean member,
      int assignedPartitions,
      long lag,
      String detail) {}
}
