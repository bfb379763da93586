package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness follows Kafka: DOWN while the broker is away, UP again once it is back; meanwhile an
 * operator's replay is answered 503.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 2)
class KafkaOutageReadinessIT {
  private final Stack stack;

  KafkaOutageReadinessIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void readyGoesDownWithKafkaAndUpWhenItReturns() {
    assertThat(stack.server().get("/health/ready").statusCode()).isEqualTo(200);

    stack.kafka.pause();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stack.server().get("/health/ready").statusCode() == 503);
      var down = stack.server().get("/health/ready").body();
      assertThat(down).contains("\"name\":\"kafka\"").contains("\"reachable\":false");
      assertThat(stack.server().get("/health/live").statusCode())
          .as("an unreachable broker is no reason to restart us")
          .isEqualTo(200);
      var replay =
          stack.server().postPrivate("/internal/v1/dead-letters/replay", "", Stack.OPERATOR);
      assertThat(replay.statusCode())
          .as("an operator's replay while Kafka is away: ours, not a bug")
          .isEqualTo(503);
      assertThat(replay.body()).contains("Kafka did not answer").contains("not committed");
    } finally {
      stack.kafka.resume();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stack.server().get("/health/ready").statusCode() == 200);
  }
}
