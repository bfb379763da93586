package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new consumer group starts at the end of the event topic, or where {@code CLOUDOREG_START_FROM}
 * says: seeded before the connector's consumer joins. Each test is a new deployment with a topic
 * and a group of its own; an older and a newer event of one org share a partition, so once the
 * newer one is handled the older one would have been too.
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
  void newGroupWithoutStartFromBeginsAtTheEnd() {
    String topic = "first-start-latest";
    stack.kafka.createTopics(List.of(topic), 3);
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      CustomerSource older = new CustomerSource(stack, events).trusting();
      older.sendCreate();

      LibertyServer server = deployment(topic, null);
      try {
        server.start();
        CustomerSource newer = new CustomerSource(stack, events, older).trusting();
        newer.sendCreate();
        newer.awaitAvailable();
        assertThat(older.statuses()).as("produced before the group existed").isEmpty();
      } finally {
        server.kill();
      }
    }
  }

  private LibertyServer deployment(String topic, String startFrom) {
    Map<String, String> changes = new HashMap<>();
    changes.put("SOURCES_EVENT_TOPIC", topic);
    changes.put("KAFKA_GROUP_ID", "cloudoreg-" + topic);
    changes.put("CLOUDOREG_START_FROM", startFrom);
    return stack.separateServer("cloudoreg-" + topic, changes);
  }
}
