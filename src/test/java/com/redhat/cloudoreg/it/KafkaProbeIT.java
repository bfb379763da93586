package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.health.KafkaProbe;
import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The health probe's view, against the stack's broker: our consumer's membership is what Kafka's
 * group says, whether or not Kafka also tells the lag (readiness and liveness judge by membership:
 * a lag Kafka cannot tell, say for a partition without a leader, must not take every pod out of the
 * Service nor have them restarted).
 */
@ExtendWith(StackExtension.class)
class KafkaProbeIT {
  private static final String GROUP = "probe-it";
  private static final String CLIENT_ID = "probe-it-consumer";
  private static final String TOPIC = "probe-it-events";

  private final Stack stack;

  KafkaProbeIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void aMemberIsAMemberWhetherOrNotKafkaTellsTheLag() {
    stack.kafka.createTopics(List.of(TOPIC), 1);
    try (Events events = new Events(stack.kafka.bootstrapServers(), TOPIC);
        KafkaConsumer<String, String> consumer = member()) {
      events.send("probe", Map.of(), "{}");
      events.send("probe", Map.of(), "{}");
      consumer.subscribe(List.of(TOPIC));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
              });

      KafkaProbe.View told = probe(TOPIC).view();
      assertThat(told.reachable()).isTrue();
      assertThat(told.member()).isTrue();
      assertThat(told.assignedPartitions()).isEqualTo(1);
      assertThat(told.lag()).as("two events, nothing committed").isEqualTo(2);

      // the same group, asked about the lag of a topic Kafka cannot describe
      KafkaProbe.View untold = probe("probe-it-no-such-topic").view();
      assertThat(untold.lag()).isEqualTo(-1);
      assertThat(untold.reachable()).isTrue();
      assertThat(untold.member()).as("membership does not depend on the lag").isTrue();
      assertThat(untold.assignedPartitions()).isEqualTo(1);
    }
  }

  private KafkaConsumer<String, String> member() {
    return new KafkaConsumer<>(
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            GROUP,
            ConsumerConfig.CLIENT_ID_CONFIG,
            CLIENT_ID,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new StringDeserializer(),
        new StringDeserializer());
  }

  private KafkaProbe probe(String eventTopic) {
    var config =
        new SmallRyeConfigBuilder()
            .withSources(
                new PropertiesConfigSource(
                    Map.of(
                        "mp.messaging.connector.liberty-kafka.bootstrap.servers",
                        stack.kafka.bootstrapServers(),
                        "KAFKA_GROUP_ID",
                        GROUP,
                        "mp.messaging.incoming.sources-events-in.client.id",
                        CLIENT_ID,
                        "SOURCES_EVENT_TOPIC",
                        eventTopic),
                    "probe-it",
                    100))
            .build();
    return new KafkaProbe(new KafkaClientSettings(config), null);
  }
}
