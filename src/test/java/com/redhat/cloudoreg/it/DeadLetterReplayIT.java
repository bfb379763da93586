package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Dead letters replayed by an operator: processed as they first came, each once. */
@ExtendWith(StackExtension.class)
class DeadLetterReplayIT {
  private static final String REPLAY = "/internal/v1/dead-letters/replay";

  private final Stack stack;
  private final Events events;

  DeadLetterReplayIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void reset() {
    stack.resetPeers();
  }

  @AfterEach
  void close() {
    events.close();
  }

  /**
   * Dead letters are for what no retry fixes, bugs among them: once the bug is fixed, the operator
   * replays them. A letter as {@code DeadLetters} writes it — the create exactly as it came, and
   * our reason headers — is re-fed, and the source becomes available.
   */
  @Test
  void aReplayedDeadLetterIsProcessedAsTheEventFirstCame() {
    Instant bugBegan = Instant.now();
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    deadLetter(customer, "internal error: NullPointerException");

    var answer = stack.server().postPrivate(REPLAY + "?since=" + bugBegan, "", Stack.OPERATOR);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"replayed\":1}");
    customer.awaitAvailable();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  /**
   * A replay with {@code since} passes over what came before it for good: the next replay goes on
   * after it, and never feeds the letters it skipped.
   */
  @Test
  void whatAReplayFromSinceSkippedIsNeverReplayedLater() {
    CustomerSource skipped = new CustomerSource(stack, events).trusting();
    deadLetter(skipped, "internal error: IllegalStateException");
    await().atMost(Duration.ofSeconds(10)).until(() -> !skipped.deadLetters().isEmpty());
    Instant after = Instant.now().plusMillis(5);
    await().atMost(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(after));

    var fromSince = stack.server().postPrivate(REPLAY + "?since=" + after, "", Stack.OPERATOR);
    var next = stack.server().postPrivate(REPLAY, "", Stack.OPERATOR);

    assertThat(fromSince.body()).isEqualTo("{\"replayed\":0}");
    assertThat(next.body()).as("what since passed over stays passed").isEqualTo("{\"replayed\":0}");
    skipped.awaitMarkerOfSameTenant();
    assertThat(skipped.statuses()).isEmpty();
  }

  /** Writes the create of the customer's source to the dead-letter topic as DeadLetters does. */
  private void deadLetter(CustomerSource customer, String reason) {
    Map<String, String> headers = new LinkedHashMap<>(customer.createHeaders());
    headers.put("cloudoreg-error", reason);
    headers.put("cloudoreg-source-topic", Stack.EVENT_TOPIC);
    headers.put("cloudoreg-source-partition", "0");
    headers.put("cloudoreg-source-offset", "0");
    try (Events letters = new Events(stack.kafka.bootstrapServers(), Stack.DEAD_LETTER_TOPIC)) {
      letters.send(customer.orgId, headers, customer.createBody());
    }
  }

  @Test
  void replayRefusesWhatItCannotRead() {
    var badSince = stack.server().postPrivate(REPLAY + "?since=yesterday", "", Stack.OPERATOR);
    var badLimit =
        stack
            .server()
            .postPrivate(REPLAY + "?since=" + Instant.now() + "&limit=0", "", Stack.OPERATOR);

    assertThat(badSince.statusCode()).isEqualTo(400);
    assertThat(badSince.body()).contains("\"error\":\"since must be an ISO-8601 instant");
    for (String since : List.of("1969-12-31T23:59:59Z", "+300000000-01-01T00:00:00Z")) {
      var beyondKafka = stack.server().postPrivate(REPLAY + "?since=" + since, "", Stack.OPERATOR);
      assertThat(beyondKafka.statusCode()).as("since=%s", since).isEqualTo(400);
      assertThat(beyondKafka.body()).as("since=%s", since).contains("from 1970 on");
    }
    assertThat(badLimit.statusCode()).isEqualTo(400);
    for (String limit : List.of("abc", "99999999999", "")) {
      var unreadable = stack.server().postPrivate(REPLAY + "?limit=" + limit, "", Stack.OPERATOR);
      assertThat(unreadable.statusCode()).as("limit=%s", limit).isEqualTo(400);
      assertThat(unreadable.body()).as("limit=%s", limit).contains("limit must be 1 to");
    }
  }
}
