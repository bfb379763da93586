package com.redhat.cloudoreg.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The watch of the trust ledger outlives its consumers: one that fails is closed (which hands the
 * role on) and replaced after a pause, until the server stops.
 */
class ReconciliationsTest {
  private static final String TOPIC = "trust";
  private static final TopicPartition LEDGER = new TopicPartition(TOPIC, 0);

  @Test
  void aConsumerThatLostTheBrokerIsReplacedAndTheNewOneTakesTheLedger() throws Exception {
    assertReplacedAfter(new TimeoutException("Timeout of 60000ms expired"));
  }

  @Test
  void aConsumerThatFailedOtherwiseIsReplacedToo() throws Exception {
    assertReplacedAfter(new KafkaException("unexpected"));
  }

  @Test
  void aStopDuringThePauseEndsTheWatchAtOnce() throws Exception {
    MockConsumer<String, String> failing = failingWith(new TimeoutException("broker away"));
    Deque<MockConsumer<String, String>> made = new ArrayDeque<>(List.of(failing));
    Reconciliations reconciliations = reconciliations(made, Duration.ofMinutes(10));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    await().atMost(Duration.ofSeconds(10)).until(failing::closed);

    reconciliations.stop();
    watch.join(Duration.ofSeconds(5).toMillis());

    assertThat(watch.isAlive()).as("the watch still waiting out its pause").isFalse();
    assertThat(made).as("no consumer made after the stop").isEmpty();
  }

  private static void assertReplacedAfter(KafkaException failure) throws Exception {
    MockConsumer<String, String> failing = failingWith(failure);
    MockConsumer<String, String> next = new MockConsumer<>("earliest");
    next.updateBeginningOffsets(Map.of(LEDGER, 0L));
    next.updateEndOffsets(Map.of(LEDGER, 0L));
    next.schedulePollTask(() -> next.rebalance(List.of(LEDGER)));
    Reconciliations reconciliations =
        reconciliations(new ArrayDeque<>(List.of(failing, next)), Duration.ofMillis(100));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> next.subscription().contains(TOPIC));
      assertThat(failing.closed()).as("the failed consumer closed, its partition freed").isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> next.assignment().contains(LEDGER));
    } finally {
      reconciliations.stop();
      watch.join(Duration.ofSeconds(10).toMillis());
    }
    assertThat(watch.isAlive()).isFalse();
    assertThat(next.closed()).isTrue();
  }

  private static MockConsumer<String, String> failingWith(KafkaException failure) {
    MockConsumer<String, String> failing = new MockConsumer<>("earliest");
    failing.schedulePollTask(() -> failing.setPollException(failure));
    return failing;
  }

  /** Reconciliations whose ledger consumers are {@code made}'s, in turn; never due to run. */
  private static Reconciliations reconciliations(
      Deque<MockConsumer<String, String>> made, Duration pause) {
    return new Reconciliations(
        null,
        null,
        new Settings(),
        null,
        null,
        null,
        Duration.ofHours(1),
        settings -> made.pop(),
        pause);
  }

  /** The settings the watch reads, as the server's configuration gives them. */
  private static final class Settings extends KafkaClientSettings {
    @Override
    public Map<String, Object> connection() {
      return new HashMap<>();
    }

    @Override
    public String value(String name) {
      return switch (name) {
        case "KAFKA_GROUP_ID" -> "cloudoreg";
        case "KAFKA_SESSION_TIMEOUT_MS" -> "10000";
        case "CLOUDOREG_TRUST_TOPIC" -> TOPIC;
        default -> throw new IllegalArgumentException(name);
      };
    }
  }
}
