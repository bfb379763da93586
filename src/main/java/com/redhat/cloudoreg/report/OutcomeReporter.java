package com.redhat.cloudoreg.report;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.ledger.TrustLedger;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OutcomeLog;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.status.StatusPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Says what was decided: one log line with its fields, the outcome counted and timed, trust noted
 * in the trust ledger (and an Azure subscription trusted again no longer a delegation to end), and
 * — where there is an application to report on and the outcome has an availability — its status to
 * Sources. In shadow mode that status is only counted, as {@code cloudoreg_shadow_outcomes_total}.
 */
@ApplicationScoped
public class OutcomeReporter {
  private static final Logger LOG = Logger.getLogger(OutcomeReporter.class.getName());

  private final StatusPublisher status;
  private final TrustLedger ledger;
  private final FlowMetrics metrics;
  private final Mode mode;

  @Inject
  public OutcomeReporter(
      StatusPublisher status,
      TrustLedger ledger,
      FlowMetrics metrics,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this.status = status;
    this.ledger = ledger;
    this.metrics = metrics;
    this.mode = Mode.of(mode);
  }

  protected OutcomeReporter() {
    this(null, null, null, null);
  }

  /**
   * Logs, counts and publishes a decision; completes once Kafka has the status (at once when there
   * is none to publish), fails when Kafka did not take it.
   */
  public CompletionStage<Void> report(
      String what, Caller caller, Optional<Long> applicationId, Decision decision, long started) {
    record(what, caller, applicationId, decision, started);
    return applicationId
        .map(id -> publish(caller, id, decision.outcome()))
        .orElseGet(StatusPublisher::nothing);
  }

  /** One log line with the decision's fields, the outcome counted and timed. */
  public void record(
      String what, Caller caller, Optional<Long> applicationId, Decision decision, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Outcome outcome = decision.outcome();
    OutcomeLog.write(
        outcome.noVerdict() || outcome == Outcome.REMOVAL_UNCONFIRMED ? Level.WARNING : Level.INFO,
        fields(
            "outcome", outcome.label(),
            "org_id", caller.orgId(),
            "source_id", decision.sourceId().orElse(null),
            "application_id", applicationId.map(String::valueOf).orElse(null),
            "event_type", what,
            "duration_ms", Long.toString(took.toMillis()),
            "request_id", caller.requestId(),
            "detail", decision.detail(),
            "mode", mode.isShadow() ? "shadow" : null));
    metrics.decided(outcome, took);
    if (outcome == Outcome.TRUSTED) {
      // the org holds trust through a source: the reconciliation must look at it, one day
      ledger.holds(caller.orgId());
      // a subscription trusted again is no destroyed source's any more: a delegation a destroy
      // left to end must not be ended later (say, when a refused update removes this trust)
      decision
          .trusted()
          .filter(account -> Provider.MSAZ.name().equals(account.provider()))
          .ifPresent(account -> ledger.delegationSettled(account.accountId()));
    }
  }

  /**
   * The outcome's status on the application, to Sources — or, in shadow mode, only counted as what
   * live mode would publish. Completes once Kafka has it (at once when the outcome has none); fails
   * when Kafka did not take it, for the caller to publish again.
   */
  public CompletionStage<Void> publish(Caller caller, long applicationId, Outcome outcome) {
    if (mode.isShadow()) {
      outcome.availability().ifPresent(wouldPublish -> metrics.shadowOutcome(outcome));
      return StatusPublisher.nothing();
    }
    return status.publish(caller.tenant(), applicationId, outcome);
  }

  /** An event that cannot even be reported on (no tenant, unreadable body, no type). */
  public void unreportable(String coordinates, Optional<String> eventType, String reason) {
    metrics.decided(Outcome.UNREPORTABLE, Duration.ZERO);
    metrics.deadLettered(FlowMetrics.DeadLetterKind.UNREPORTABLE);
    OutcomeLog.write(
        Level.WARNING,
        fields(
            "outcome",
            Outcome.UNREPORTABLE.label(),
            "event",
            coordinates,
            "event_type",
            eventType.orElse(null),
            "detail",
            reason));
  }

  /** A bug of ours: with its stack trace, counted apart, never dressed up as an outage. */
  public void internalError(String coordinates, Optional<String> eventType, Throwable bug) {
    metrics.decided(Outcome.INTERNAL_ERROR, Duration.ZERO);
    metrics.deadLettered(FlowMetrics.DeadLetterKind.INTERNAL_ERROR);
    LOG.log(
        Level.SEVERE,
        "outcome="
            + Outcome.INTERNAL_ERROR.label()
            + " event="
            + coordinates
            + eventType.map(type -> " event_type=" + type).orElse(""),
        bug);
  }

  /** Name-value pairs in order; a null value is left out of the line. */
  private static Map<String, String> fields(String... namesAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }
}
