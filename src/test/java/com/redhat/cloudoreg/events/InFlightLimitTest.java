package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
  @Test
  void handsOutSlotsUpToTheLimitThenMakesTheNextWait() {
    InFlightLimit limit = new InFlightLimit(2);

    assertThat(limit.acquire()).isCompleted();
    assertThat(limit.acquire()).isCompleted();
    CompletableFuture<Void> third = limit.acquire();
    assertThat(third).isNotCompleted();

    limit.release();
    assertThat(third).isCompleted();
  }

  @Test
  void waitersGetSlotsInTurnAndReleasedSlotsReturnToThePool() {
    InFlightLimit limit = new InFlightLimit(1);
    assertThat(limit.acquire()).isCompleted();
    CompletableFuture<Void> second = limit.acquire();
    CompletableFuture<Void> third = limit.acquire();

    limit.release();
    assertThat(second).isCompleted();
    assertThat(third).isNotCompleted();
    limit.release();
    assertThat(third).isCompleted();
    limit.release();
    assertThat(limit.acquire()).as("the slot went back to the pool").isCompleted();
  }

  @Test
  void oneIsTheLeast() {
    assertThatThrownBy(() -> new InFlightLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
