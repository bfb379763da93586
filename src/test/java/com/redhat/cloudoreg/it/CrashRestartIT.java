package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LedgerCheck;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At-least-once under the worst a platform does: the server killed with SIGKILL mid-stream, the
 * server stopped with SIGTERM mid-stream, the broker restarted mid-stream. Each time every create
 * ends in a final status — more than one only if identical — and nothing in a dead letter.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 1)
class CrashRestartIT {
  private static final int CREATES = 40;
  private static final int ORGS = 8;
  private static final int STS_DELAY_MS = 300;
  private static final Duration RECOVERY = Duration.ofMinutes(2);

  private final Stack stack;
  private final Events events;
  private final List<CustomerSource> customers = new ArrayList<>();

  CrashRestartIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void createsInFlight() {
    stack.resetPeers();
    // slow enough that events are in flight when the disruption hits
    stack.sts.server().setGlobalFixedDelay(STS_DELAY_MS);
    List<CustomerSource> orgs = new ArrayList<>();
    for (int i = 0; i < CREATES; i++) {
      CustomerSource customer =
          i < ORGS
              ? new CustomerSource(stack, events)
              : new CustomerSource(stack, events, orgs.get(i % ORGS));
      if (i < ORGS) {
        orgs.add(customer);
      }
      customers.add(customer.trusting());
    }
    customers.forEach(CustomerSource::sendCreate);
    await().atMost(RECOVERY).until(() -> LedgerCheck.of(customers).finished() >= 5);
  }

  @AfterEach
  void restore() {
    stack.sts.server().setGlobalFixedDelay(0);
    events.close();
  }

  /**
   * The kill while creates are verified at STS and not yet reported: they must be redelivered and
   * verified again, each finishing once (or twice, identically), none lost.
   */
  @Test
  void killedServerWithWorkInFlightRedeliversItAndLosesNothing() {
    List<CustomerSource> inFlight = awaitInFlight();
    stack.server().kill();
    stack.server().start();

    assertEveryCreateFinishedOnce("kill -9 in flight");
    assertThat(inFlight)
        .as("redelivered after the restart: the role verified again")
        .anySatisfy(
            customer ->
                assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSizeGreaterThan(1));
  }

  @Test
  void stoppedServerWithWorkInFlightFinishesItOrLeavesItUncommitted() {
    awaitInFlight();
    stack.server().stop();
    stack.server().start();

    assertEveryCreateFinishedOnce("SIGTERM in flight");
  }

  @Test
  void restartedBrokerWithWorkInFlightLosesNothing() {
    awaitInFlight();
    stack.kafka.pause();
    stack.kafka.resume();

    assertEveryCreateFinishedOnce("broker restart in flight");
  }

  /** Waits until some creates are verified at STS and not reported yet: work in flight. */
  private List<CustomerSource> awaitInFlight() {
    return await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(20))
        .until(this::inFlight, inFlight -> !inFlight.isEmpty());
  }

  /** Creates whose role STS has been asked about but whose status is not published yet. */
  private List<CustomerSource> inFlight() {
    return customers.stream()
        .filter(customer -> !stack.sts.assumeRoleRequests(customer.roleArn).isEmpty())
        .filter(customer -> customer.statuses().isEmpty())
        .toList();
  }

  private void assertEveryCreateFinishedOnce(String disruption) {
    await().atMost(RECOVERY).until(() -> LedgerCheck.of(customers).everyCreateFinished());
    LedgerCheck ledger = LedgerCheck.of(customers);
    System.out.printf("[ledger] %s: %s%n", disruption, ledger);
    assertThat(ledger.differingDuplicates()).isZero();
    assertThat(ledger.deadLetters()).isZero();
    customers.forEach(
        customer ->
            assertThat(customer.statuses())
                .allSatisfy(
                    status -> assertThat(status.value()).contains("\"status\":\"available\"")));
  }
}
