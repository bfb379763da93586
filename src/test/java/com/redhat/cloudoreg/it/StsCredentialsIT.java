package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deployment whose AWS secret is wrong (a typo, a key rotated at AWS but not here): STS refuses
 * every call of ours with {@code SignatureDoesNotMatch}, and no customer is blamed for it. A
 * deployment of its own, against the same STS stand-in, which checks every signature.
 */
@ExtendWith(StackExtension.class)
class StsCredentialsIT {
  /** The misconfigured deployment's secret; as secret as the right one ({@link LogScanIT}). */
  static final String WRONG_SECRET = "cloudoreg-test-wrong-secret-Rt6y1";

  private static final String TOPIC = "sts-wrong-secret";

  private final Stack stack;

  StsCredentialsIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void aWrongSecretIsOurOutageNeverTheCustomersFault() {
    stack.kafka.createTopics(List.of(TOPIC), 1);
    LibertyServer wrongSecret =
        stack.separateServer(
            "cloudoreg-" + TOPIC,
            Map.of(
                "AWS_SECRET_ACCESS_KEY", WRONG_SECRET,
                "SOURCES_EVENT_TOPIC", TOPIC,
                "KAFKA_GROUP_ID", "cloudoreg-" + TOPIC));
    try (Events events = new Events(stack.kafka.bootstrapServers(), TOPIC)) {
      wrongSecret.start();
      CustomerSource customer = new CustomerSource(stack, events).trusting();

      customer.sendCreate();

      customer.awaitUnavailable("CG3100");
      // ours to finish: tried again and again, one call each (our credentials are not retried in
      // place), never told twice, never the customer's fault, never left for an operator
      await().atMost(Duration.ofSeconds(30)).until(() -> answersTo(customer.roleArn).size() >= 3);
      assertThat(answersTo(customer.roleArn))
          .as("refused by the signature check each time")
          .allMatch(answer -> answer.contains("<Code>SignatureDoesNotMatch</Code>"));
      assertThat(customer.statuses()).as("CG3100 told once").hasSize(1);
      assertThat(customer.deadLetters()).isEmpty();
    } finally {
      wrongSecret.kill();
    }
  }

  /** What the STS stand-in answered to each AssumeRole of that role. */
  private List<String> answersTo(String roleArn) {
    return stack.sts.server().getAllServeEvents().stream()
        .filter(served -> served.getRequest().getBodyAsString().contains(StsStub.encode(roleArn)))
        .map(ServeEvent::getResponse)
        .map(response -> response.getBodyAsString())
        .toList();
  }
}
