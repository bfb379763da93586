package com.redhat.cloudoreg.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.redhat.cloudoreg.events.WarmUpGate;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Test
  void aWarmUpThatBreaksOffStillLetsEventsFlowAndSaysItIsIncomplete() {
    WarmUpGate gate = new WarmUpGate();
    // no beans at all: the very first step breaks off with a NullPointerException
    WarmUp warmUp =
        new WarmUp(null, null, null, null, null, Runnable::run, gate, null, null, "us-east-1");

    assertThatThrownBy(warmUp::run).isInstanceOf(NullPointerException.class);

    assertThat(gate.opened().toCompletableFuture()).isDone();
    assertThat(warmUp.result()).startsWith("done without").contains("NullPointerException");
  }
}
