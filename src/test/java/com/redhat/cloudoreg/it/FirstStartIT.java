package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new consumer group starts at the end of the event topic, or where {@code CLOUDOREG_START_FROM}
 * says: seeded before the connector's consumer joins. A group with offsets goes on from them,
 * whatever the setting; one whose offset retention overtook starts at the oldest event kept. Each
 * test is a new deployment with a topic and a group of its own; an older and a newer event of one
 * org share a partition, so once the newer one is handled the older one would have been too.
 */
@ExtendWith(StackExtension.class)
class FirstStartIT {
  private final Stack stack;

  FirstStartIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void newGroupWithStartFromBeginsAtThatInstant() {
    String topic = "first-start-instant";
    stack.kafka.createTopics(List.of(topic), 3);
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      CustomerSource older = new CustomerSource(stack, events).trusting();
      older.sendCreate();
      Instant between = Instant.now();
      await().until(() -> Instant.now().isAfter(between.plusMillis(5)));
      CustomerSource newer = new CustomerSource(stack, events, older).trusting();
      newer.sendCreate();

      LibertyServer server = deployment(topic, between.plusMillis(1).toString());
      try {
        server.start();
        newer.awaitAvailable();
        assertThat(older.statuses()).as("before CLOUDOREG_START_FROM").isEmpty();
      } finally {
        server.kill();
      }
    }
  }

  @Test
  void newGroupWithoutStartFromBeginsAtTheEnd() throws Exception {
    String topic = "first-start-latest";
    stack.kafka.createTopics(List.of(topic), 3);
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      CustomerSource older = new CustomerSource(stack, events).trusting();
      older.sendCreate();

      LibertyServer server = deployment(topic, null);
      try {
        server.start();
        assertThat(server.get(server.metricsUri(), Map.of()).body())
            .as("every peer call's series at zero from the start, as every other series")
            .containsPattern(
                "(?m)^cloudoreg_peer_call_duration_seconds_count\\{call=\"add_accounts\","
                    + "mp_scope=\"application\",peer=\"rhsm\",} 0(\\.0)?$")
            .containsPattern(
                "(?m)^cloudoreg_peer_call_duration_seconds_count\\{call=\"remove_delegation\","
                    + "mp_scope=\"application\",peer=\"azure\",} 0(\\.0)?$");
        CustomerSource newer = new CustomerSource(stack, events, older).trusting();
        newer.sendCreate();
        newer.awaitAvailable();
        assertThat(older.statuses()).as("produced before the group existed").isEmpty();
        assertThat(Files.readString(server.logs().resolve("messages.log")))
            .as("a group whose offsets Kafka forgot looks the same: the operator is told")
            .contains(
                "has no committed offsets: it starts at the end of the event topic",
                "CLOUDOREG_START_FROM");
      } finally {
        server.kill();
      }
    }
  }

  @Test
  void aGroupThatHasOffsetsIgnoresStartFromAndGoesOnFromThem() throws Exception {
    String topic = "first-start-committed";
    stack.kafka.createTopics(List.of(topic), 1);
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      CustomerSource older = new CustomerSource(stack, events).trusting();
      older.sendCreate();
      commit("cloudoreg-" + topic, topic, 1);
      CustomerSource newer = new CustomerSource(stack, events, older).trusting();
      newer.sendCreate();

      LibertyServer server = deployment(topic, "earliest");
      try {
        server.start();
        newer.awaitAvailable();
        assertThat(older.statuses()).as("before the group's committed offset").isEmpty();
      } finally {
        server.kill();
      }
    }
  }

  @Test
  void aCommittedOffsetRetentionOvertookStartsAtTheOldestEventKeptCountedNotAtTheEnd()
      throws Exception {
    String topic = "first-start-out-of-range";
    stack.kafka.createTopics(List.of(topic), 1);
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      CustomerSource removed = new CustomerSource(stack, events).trusting();
      removed.sendCreate();
      CustomerSource kept = new CustomerSource(stack, events).trusting();
      kept.sendCreate();
      commit("cloudoreg-" + topic, topic, 0);
      // retention removes the first event before the group saw it
      try (Admin admin = admin()) {
        admin
            .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }

      LibertyServer server = deployment(topic, null);
      try {
        server.start();
        kept.awaitAvailable();
        assertThat(removed.statuses()).as("removed by retention: never seen").isEmpty();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    server
                        .get(server.metricsUri(), Map.of())
                        .body()
                        .lines()
                        .anyMatch(
                            line ->
                                line.startsWith("cloudoreg_offsets_out_of_range_total")
                                    && !line.endsWith(" 0.0")));
        assertThat(Files.readString(server.logs().resolve("messages.log")))
            .contains("were removed by retention before we saw them");
      } finally {
        server.kill();
      }
    }
  }

  /** The group commits that offset of partition 0, as if it had read up to there before. */
  private void commit(String group, String topic, long offset) throws Exception {
    try (Admin admin = admin()) {
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()));
  }

  private LibertyServer deployment(String topic, String startFrom) {
    Map<String, String> changes = new HashMap<>();
    changes.put("SOURCES_EVENT_TOPIC", topic);
    changes.put("KAFKA_GROUP_ID", "cloudoreg-" + topic);
    changes.put("CLOUDOREG_START_FROM", startFrom);
    return stack.separateServer("cloudoreg-" + topic, changes);
  }
}
