package com.redhat.cloudoreg.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.RecordingLedger;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a decision notes in the trust ledger. */
class OutcomeReporterTest {
  private static final Caller CALLER = new Caller(new Tenant("7654321", Optional.empty()), "req-1");
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";

  private final RecordingLedger ledger = new RecordingLedger();
  private final OutcomeReporter reporter =
      new OutcomeReporter(null, ledger, new UncountedMetrics(), "live");

  /**
   * A subscription trusted again is a source's, not a destroyed one's: a delegation a destroy left
   * to end must not be ended later, when this trust goes for another reason than a destroy.
   */
  @Test
  void anAzureSubscriptionTrustedAgainIsNoLongerADelegationToEnd() {
    ledger.delegations.put(SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, "7654321", "55"));

    reporter.record(
        "Application.create", CALLER, Optional.of(101L), trusted("MSAZ", SUBSCRIPTION), 0);

    assertThat(ledger.settled).containsExactly(SUBSCRIPTION);
    assertThat(ledger.delegations).isEmpty();
  }

  @Test
  void anAwsAccountTrustedSettlesNoDelegation() {
    reporter.record(
        "Application.create", CALLER, Optional.of(101L), trusted("AWS", "123456789012"), 0);

    assertThat(ledger.settled).isEmpty();
  }

  private static Decision trusted(String provider, String account) {
    return Decision.withTrust(
        Outcome.TRUSTED, "55", "trusted", new TrustedAccount(provider, account));
  }

  private static final class UncountedMetrics extends FlowMetrics {
    @Override
    public void decided(Outcome outcome, Duration took) {}
  }
}
