package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A status Kafka refuses after an availability check is counted and logged, not lost silently: on a
 * deployment of its own whose status topic takes no record as large as a status (the broker answers
 * {@code RecordTooLargeException}, which no retry changes). The check's work is done all the same:
 * the trust is established.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 10)
class UndeliveredStatusIT {
  private static final String EVENTS = "undelivered-events";
  private static final String STATUSES = "undelivered-statuses";

  private final Stack stack;

  UndeliveredStatusIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void aStatusKafkaRefusesAfterACheckIsCountedAndLogged() throws Exception {
    stack.resetPeers();
    stack.kafka.createTopics(List.of(EVENTS), 1);
    stack.kafka.createTopics(List.of(STATUSES), 1, Map.of("max.message.bytes", "64"));
    LibertyServer server =
        stack.separateServer(
            "cloudoreg-undelivered",
            Map.of(
                "SOURCES_EVENT_TOPIC",
                EVENTS,
                "SOURCES_STATUS_TOPIC",
                STATUSES,
                "KAFKA_GROUP_ID",
                "cloudoreg-undelivered"));
    try {
      server.start();
      CustomerSource customer = new CustomerSource(stack, null).trusting();

      var answer = customer.askAvailabilityCheck(server);

      assertThat(answer.statusCode()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> server.metric("cloudoreg_statuses_undelivered_total") >= 1);
      assertThat(Files.readString(server.logs().resolve("messages.log")))
          .contains(
              "Status of application "
                  + customer.applicationId
                  + " after a check of its source not delivered");
      assertThat(stack.rhsm.heldFor(customer.orgId))
          .as("the check's work is done though its status was lost")
          .containsEntry(customer.awsAccount, Long.toString(customer.sourceId));
    } finally {
      server.kill();
    }
  }
}
