package com.redhat.cloudoreg.kafka;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A deliberate first start. A new consumer group starts at the end of the event topic — a new
 * deployment does not replay Sources' history — unless {@code CLOUDOREG_START_FROM} (an ISO
 * instant, or {@code earliest}) says where. Either way its offsets are seeded here, one per
 * partition (the first event at or after that instant; the end where there is none), before our
 * consumer joins: the consumer's own {@code auto.offset.reset} is then left for what it alone can
 * see, a committed offset that fell out of range (it starts again at the oldest event kept). A
 * group that has offsets is left alone, so the setting can stay in place across restarts. Liberty's
 * connector offers no seek hook, so this runs where CDI validates the deployment, first among the
 * observers of that event: the reactive messaging streams, and with them our consumer, are
 * connected by a later observer of it. Should seeding fail the application does not start (the pod
 * is restarted): silently starting elsewhere would skip or replay what nobody asked for.
 */
public class FirstStart implements Extension {
  public static final String START_FROM = "CLOUDOREG_START_FROM";

  /** Where a new group starts unless told otherwise: the end of the topic. */
  static final String LATEST = "latest";

  private static final Logger LOG = Logger.getLogger(FirstStart.class.getName());
  private static final String IN = "mp.messaging.incoming." + Channels.SOURCES_EVENTS_IN + ".";
  private static final long WAIT_SECONDS = 30;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  void seedNewGroup(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) AfterDeploymentValidation done) {
    Config config = ConfigProvider.getConfig();
    Optional<String> asked =
        config
            .getOptionalValue(START_FROM, String.class)
            .map(String::trim)
            .filter(v -> !v.isEmpty());
    String startFrom = asked.orElse(LATEST);
    try {
      OffsetSpec spec = offsetSpec(startFrom);
      String group = config.getValue(IN + "group.id", String.class);
      String topic = config.getValue(IN + "topic", String.class);
      Map<String, Object> settings = new KafkaClientSettings(config).connection();
      settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "cloudoreg-first-start");
      Admin admin = Admin.create(settings);
      try {
        seed(admin, group, topic, spec, startFrom);
      } finally {
        // a call that timed out stays pending in the client until Kafka's own API timeout (60 s);
        // the start does not wait for it twice
        admin.close(CLOSE_WAIT);
      }
    } catch (ExecutionException | TimeoutException unreachable) {
      if (asked.isPresent()) {
        done.addDeploymentProblem(
            new IllegalStateException(
                START_FROM + "=" + startFrom + ": the new group could not be seeded", unreachable));
      } else {
        // nobody asked for a start: not a reason to keep the service down with Kafka
        LOG.log(
            Level.WARNING,
            "Could not learn whether consumer group {0} is new (Kafka: {1}); a new group starts at"
                + " the oldest event kept",
            new Object[] {config.getValue(IN + "group.id", String.class), unreachable.toString()});
      }
    } catch (IllegalArgumentException failed) {
      done.addDeploymentProblem(
          new IllegalStateException(
              START_FROM + "=" + startFrom + ": the new group could not be seeded", failed));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      done.addDeploymentProblem(interrupted);
    }
  }

  /** {@code earliest}, {@code latest}, or the first event at or after an ISO-8601 instant. */
  static OffsetSpec offsetSpec(String startFrom) {
    if ("earliest".equalsIgnoreCase(startFrom)) {
      return OffsetSpec.earliest();
    }
    if (LATEST.equalsIgnoreCase(startFrom)) {
      return OffsetSpec.latest();
    }
    try {
      return OffsetSpec.forTimestamp(Instant.parse(startFrom).toEpochMilli());
    } catch (DateTimeParseException notAnInstant) {
      throw new IllegalArgumentException(
          START_FROM
              + " must be earliest, latest or an ISO-8601 instant such as 2026-11-26T01:00:00Z");
    }
  }

  static void seed(Admin admin, String group, String topic, OffsetSpec spec, String startFrom)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    if (!committed.isEmpty()) {
      LOG.log(
          Level.INFO,
          "Consumer group {0} has committed offsets: it continues from them, {1} is not used",
          new Object[] {group, START_FROM});
      return;
    }
    TopicDescription description =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get(WAIT_SECONDS, TimeUnit.SECONDS)
            .get(topic);
    Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    description
        .partitions()
        .forEach(
            p -> {
              wanted.put(new TopicPartition(topic, p.partition()), spec);
              ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
    Map<TopicPartition, ListOffsetsResultInfo> found =
        admin.listOffsets(wanted).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> end =
        admin.listOffsets(ends).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    found.forEach(
        (partition, info) ->
            offsets.put(
                partition,
                new OffsetAndMetadata(
                    // no event at or after the instant: nothing to replay there
                    info.offset() >= 0 ? info.offset() : end.get(partition).offset(),
                    "seeded by " + START_FROM + "=" + startFrom)));
    try {
      admin.alterConsumerGroupOffsets(group, offsets).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException joined) {
      if (joined.getCause() instanceof UnknownMemberIdException
          || joined.getCause() instanceof GroupNotEmptyException) {
        // another replica's consumer is in the group already: it is no longer new
        LOG.log(
            Level.WARNING,
            "Consumer group {0} was joined while seeding it; it continues where it is",
            group);
        return;
      }
      throw joined;
    }
    if (LATEST.equalsIgnoreCase(startFrom)) {
      // Kafka forgets an empty group's offsets after offsets.retention.minutes (7 days by
      // default): a deployment stopped longer than that finds its group new, and nothing here can
      // tell it from a first start. The end of the topic skips what was sent while it was down.
      LOG.log(
          Level.WARNING,
          "Consumer group {0} has no committed offsets: it starts at the end of the event topic"
              + " ({1}). If it consumed before, Kafka forgot its offsets (every replica stopped"
              + " longer than offsets.retention.minutes) and what was sent since is skipped: to"
              + " handle it, scale to zero and reset the group''s offsets to when it stopped"
              + " (kafka-consumer-groups --reset-offsets --to-datetime); before starting a"
              + " deployment stopped that long, set {2} instead",
          new Object[] {group, offsets, START_FROM});
      return;
    }
    LOG.log(
        Level.INFO,
        "New consumer group {0} starts from {1}={2}: {3}",
        new Object[] {group, START_FROM, startFrom, offsets});
  }
}
