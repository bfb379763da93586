package com.redhat.cloudoreg.http;

import static com.redhat.cloudoreg.http.WaitingChecks.Admission.QUEUED;
import static com.redhat.cloudoreg.http.WaitingChecks.Admission.TOO_MANY;
import static com.redhat.cloudoreg.http.WaitingChecks.Admission.TOO_MANY_OF_ORG;
import static com.redhat.cloudoreg.http.WaitingChecks.Admission.WAITING_ALREADY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bookkeeping alone; the real stack's bound is InternalEndpointsIT's. */
class WaitingChecksTest {
  private final WaitingChecks waiting = new WaitingChecks(4);

  @Test
  void oneOrgHoldsAtMostHalfAndTheOthersTheRest() {
    assertThat(waiting.admit("held", "check/held/1")).isEqualTo(QUEUED);
    assertThat(waiting.admit("held", "check/held/2")).isEqualTo(QUEUED);
    assertThat(waiting.admit("held", "check/held/3")).isEqualTo(TOO_MANY_OF_ORG);
    assertThat(waiting.admit("other", "check/other/1")).isEqualTo(QUEUED);
    assertThat(waiting.admit("other", "check/other/2")).isEqualTo(QUEUED);
    assertThat(waiting.admit("third", "check/third/1")).isEqualTo(TOO_MANY);

    waiting.ended("other", "check/other/1", false);
    assertThat(waiting.admit("held", "check/held/3"))
        .as("a place freed, but the org holds its half already")
        .isEqualTo(TOO_MANY_OF_ORG);
    assertThat(waiting.admit("third", "check/third/1")).isEqualTo(QUEUED);
  }

  @Test
  void aCheckStillWaitingAnswersTheSameCheckAtAnyCount() {
    waiting.admit("held", "check/held/1");
    waiting.admit("held", "check/held/2");

    assertThat(waiting.admit("held", "check/held/1")).isEqualTo(WAITING_ALREADY);
    assertThat(WAITING_ALREADY.refusal()).isEmpty();
    assertThat(waiting.admit("held", "recheck/held/1"))
        .as("another kind of check of the same source is another check")
        .isEqualTo(TOO_MANY_OF_ORG);
  }

  @Test
  void aStartedCheckQueuesTheNextAnewAndItsEndLeavesThatOneWaiting() {
    waiting.admit("org", "check/org/1");
    waiting.started("check/org/1");

    assertThat(waiting.admit("org", "check/org/1"))
        .as("the source may have changed since the first began")
        .isEqualTo(QUEUED);
    waiting.ended("org", "check/org/1", true);
    assertThat(waiting.admit("org", "check/org/1")).isEqualTo(WAITING_ALREADY);

    waiting.ended("org", "check/org/1", false);
    assertThat(waiting.admit("org", "check/org/1")).isEqualTo(QUEUED);
  }

  @Test
  void refusalsSayWhichBound() {
    assertThat(QUEUED.refusal()).isEmpty();
    assertThat(TOO_MANY.refusal()).hasValue("too many checks waiting; try again later");
    assertThat(TOO_MANY_OF_ORG.refusal())
        .hasValue("too many checks of this org waiting; try again later");
  }

  @Test
  void aBoundOfOneLetsItsOrgHoldIt() {
    WaitingChecks one = new WaitingChecks(1);

    assertThat(one.admit("org", "check/org/1")).isEqualTo(QUEUED);
    assertThat(one.admit("other", "check/other/1")).isEqualTo(TOO_MANY);
  }
}
