package com.redhat.cloudoreg.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.outcome.PeerAnswer;
import com.redhat.cloudoreg.outcome.Rejection;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.junit.jupiter.api.Test;

class BreakersTest {
  private final List<String> through = new ArrayList<>();
  private final Guard guard = new Guard(new RecordingBreakers());

  @Test
  void everyPeerHasABreakerThatACustomersRefusalOrAPeersOrdinaryAnswerNeverOpens() {
    List<Method> breakers =
        Arrays.stream(Breakers.class.getDeclaredMethods())
            .filter(method -> method.isAnnotationPresent(CircuitBreaker.class))
            .toList();

    assertThat(breakers)
        .extracting(Method::getName)
        .containsExactlyInAnyOrder("sources", "rhsm", "sts", "azure");
    assertThat(breakers)
        .allSatisfy(
            breaker ->
                assertThat(breaker.getAnnotation(CircuitBreaker.class).skipOn())
                    .contains(Rejection.class, PeerAnswer.class));
  }

  @Test
  void aFirstAttemptGoesThroughItsPeersBreakerARedriveAroundIt() {
    Caller first = new Caller(new Tenant("7654321", Optional.empty()), "req-1");

    for (Guard.Peer peer : Guard.Peer.values()) {
      assertThat(guard.call(peer, first, () -> "answer")).isEqualTo("answer");
      assertThat(guard.call(peer, first.asRedrive(), () -> "answer")).isEqualTo("answer");
    }

    assertThat(through).containsExactly("sources", "rhsm", "sts", "azure");
  }

  /** Records which breaker a call went through. */
  private final class RecordingBreakers extends Breakers {
    @Override
    public <T> T sources(Supplier<T> call) {
      through.add("sources");
      return call.get();
    }

    @Override
    public <T> T rhsm(Supplier<T> call) {
      through.add("rhsm");
      return call.get();
    }

    @Override
    public <T> T sts(Supplier<T> call) {
      through.add("sts");
      return call.get();
    }

    @Override
    public <T> T azure(Supplier<T> call) {
      through.add("azure");
      return call.get();
    }
  }
}
