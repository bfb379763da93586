package com.redhat.cloudoreg.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomesTest {
  @Test
  void rejectionKeepsItsOutcome() {
    assertThat(Outcomes.of(new Rejection(Outcome.HELD_BY_OTHER_ORG, "x")))
        .isEqualTo(Outcome.HELD_BY_OTHER_ORG);
  }

  @Test
  void everyOutageIsTemporarilyImpossible() {
    assertThat(Outcomes.of(new TransientFailure("503"))).isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(Outcomes.of(new OwnCredentialsRejected("401")))
        .isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(Outcomes.of(new UnexpectedAnswer("418"))).isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(Outcomes.of(new TimeoutException())).isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(Outcomes.of(new CircuitBreakerOpenException()))
        .isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
  }

  @Test
  void aBugIsNoOutcomeAndIsThrownOnAsItIs() {
    NullPointerException bug = new NullPointerException("a bug");
    assertThatThrownBy(() -> Outcomes.of(bug)).isSameAs(bug);
    assertThat(Outcomes.isOutage(bug)).isFalse();
  }

  @Test
  void unavailableOutcomesCarryTheirCodeFirstAndReportableOnesAreExactlyThoseWithAStatus() {
    for (Outcome outcome : Outcome.values()) {
      if (outcome.availability().filter(Availability.UNAVAILABLE::equals).isPresent()) {
        assertThat(outcome.error()).matches("CG\\d{4}: [A-Z].+\\.");
      } else {
        assertThat(outcome.error()).isEmpty();
      }
    }
    assertThat(Arrays.stream(Outcome.values()).filter(o -> o.availability().isEmpty()))
        .containsExactlyInAnyOrder(
            Outcome.NOT_OURS,
            Outcome.TYPE_UNKNOWN,
            Outcome.AZURE_NOT_CONFIGURED,
            Outcome.INTERNAL_ERROR,
            Outcome.APPLICATION_GONE,
            Outcome.GRANT_REPLACED,
            Outcome.TRUST_REMOVED,
            Outcome.REMOVAL_UNCONFIRMED,
            Outcome.UNREPORTABLE);
  }

  @Test
  void codesAreUnique() {
    assertThat(Arrays.stream(Outcome.values()).flatMap(o -> o.code().stream()))
        .doesNotHaveDuplicates();
  }
}
