package com.redhat.cloudoreg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The walk's own arithmetic and what it reads of the service. */
class ReconcileWalkTest {

  @Test
  void theBusiestSecondIsASlidingWindowNotAClockSecond() {
    // five at the end of one clock second, five at the start of the next: ten within 1 s, where
    // no clock second saw more than six
    long[] at = {0, 900, 901, 902, 903, 904, 1000, 1001, 1002, 1003, 1004, 2500};

    assertThat(ReconcileWalk.busiestSecond(at)).isEqualTo(10);
    assertThat(ReconcileWalk.busiestSecond(new long[] {0, 1000, 2000})).isEqualTo(1);
    assertThat(ReconcileWalk.busiestSecond(new long[0])).isZero();
  }

  @Test
  void durationsRoundTheirSecondsAndMinutesAlike() {
    assertThat(ReconcileWalk.seconds(404_960)).isEqualTo("405.0 s (6 min 45.0 s)");
    assertThat(ReconcileWalk.seconds(59_960)).isEqualTo("60.0 s (1 min 0.0 s)");
    assertThat(ReconcileWalk.seconds(20_010)).isEqualTo("20.0 s");
  }

  @Test
  void theDefaultRateIsReadFromTheReconcilersOwnDeclaration() {
    assertThat(ReconcileWalk.defaultRate()).matches("[1-9][0-9]*");
  }
}
