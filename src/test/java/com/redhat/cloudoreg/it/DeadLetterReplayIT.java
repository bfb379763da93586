package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An outage's dead letters replayed once the peer is back end in the status they deserve. */
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

  @Test
  void replayAfterAnOutageMakesTheSourceAvailable() {
    Instant outageBegan = Instant.now();
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    stack.rhsm.registrationsAnswer(
        customer.orgId,
        customer.awsAccount,
        RhsmStub.error(503, "{\"error\":{\"code\":503,\"message\":\"maintenance\"}}"));
    customer.sendCreate();
    customer.awaitUnavailable("CG3100");
    await().atMost(CustomerSource.STATUS_WAIT).until(() -> !customer.deadLetters().isEmpty());

    stack.rhsm.reset();
    var answer = stack.server().postPrivate(REPLAY + "?since=" + outageBegan, "", Stack.OPERATOR);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"replayed\":1}");
    var statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount))
        .as("registered once RHSM was back (the journal was reset with it)")
        .hasSize(1);
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
    assertThat(badLimit.statusCode()).isEqualTo(400);
  }
}
