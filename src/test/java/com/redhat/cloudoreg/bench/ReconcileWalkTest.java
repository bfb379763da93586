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
  void theDefaultRateIsReadFromTheReconcilersOwnDeclaration() {
    assertThat(ReconcileWalk.defaultRate()).matches("[1-9][0-9]*");
  }
}
