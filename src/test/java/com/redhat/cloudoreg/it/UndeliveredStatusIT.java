package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A status Kafka refuses after an availability check is counted and logged, not lost silently: on a
 * deployment of its own whose status topic takes no record as large as a status (the broker answers
 * {@code RecordTooLargeException}, which no retry changes). The check's work is done all the same:
 * the trust is established. An event's verdict refused so is sent again, but not once its grant was
 * replaced.
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
  void aRefusedStatusIsCountedAfterACheckAndNotSentAgainOnceItsGrantWasReplaced() throws Exception {
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

      staleStatusIsNotSentAgain(server);
    } finally {
      server.kill();
    }
  }

  /**
   * An event's verdict whose status Kafka refuses is sent again, pauses growing — but not once the
   * grant it was decided on is no longer the application's (a revoked replica's late re-send would
   * stand over the verdicts the partition's new owner told since): the grant replaced meanwhile,
   * the topic taking statuses again, the old verdict is never sent, and the event is done.
   */
  private void staleStatusIsNotSentAgain(LibertyServer server) throws Exception {
    try (Events events = new Events(stack.kafka.bootstrapServers(), EVENTS)) {
      CustomerSource customer = new CustomerSource(stack, events).trusting();
      // replaced right after the fence's read (the first of the application's grants): the verdict
      // is the old grant's, decided, and its first send refused by the topic
      String newArn = "arn:aws:iam::2" + customer.awsAccount.substring(1) + ":role/replacement";
      AtomicBoolean replaced = new AtomicBoolean();
      stack.sources.afterFirst(
          SourcesStub.grantsOf(customer.applicationId),
          () -> {
            stack.sources.authentication(
                customer.orgId,
                customer.authenticationId,
                AuthenticationSpec.arn(newArn, customer.externalId, customer.applicationId));
            replaced.set(true);
          });
      customer.sendCreate();
      await().atMost(Duration.ofSeconds(60)).untilTrue(replaced);

      stack.kafka.alterTopic(STATUSES, Map.of("max.message.bytes", "1048588"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Files.readString(server.logs().resolve("messages.log"))
                      .contains(
                          "of application "
                              + customer.applicationId
                              + " not sent again: its grant was replaced"));
      assertThat(
              stack.kafka.everyRecord(STATUSES::equals).stream()
                  .filter(status -> status.value().contains("\"" + customer.applicationId + "\""))
                  .toList())
          .as("the verdict on the replaced grant")
          .isEmpty();
    }
  }
}
