package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.events.Attempts;
import com.redhat.cloudoreg.events.TenantLanes;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.flow.TrustFlow.CheckedApplication;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.report.OutcomeReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A check of one source, as Sources' availability check and the operator's re-drive ask for it: in
 * that tenant's lane, with the events' retry budget, each Cloud Meter application reported. A check
 * never publishes an {@code unavailable} that is ours (a dependency down, a type unknown): Sources
 * checks again soon. At most {@code CLOUDOREG_MAX_WAITING_CHECKS} wait at once.
 */
@ApplicationScoped
public class SourceChecks {
  private static final Logger LOG = Logger.getLogger(SourceChecks.class.getName());

  private final TrustFlow flow;
  private final TenantLanes lanes;
  private final Attempts attempts;
  private final OutcomeReporter reporter;
  private final FlowMetrics metrics;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  @Inject
  public SourceChecks(
      TrustFlow flow,
      TenantLanes lanes,
      Attempts attempts,
      OutcomeReporter reporter,
      FlowMetrics metrics,
      @ConfigProperty(name = "CLOUDOREG_MAX_WAITING_CHECKS", defaultValue = "256") int maxWaiting) {
    this.flow = flow;
    this.lanes = lanes;
    this.attempts = attempts;
    this.reporter = reporter;
    this.metrics = metrics;
    this.maxWaiting = maxWaiting;
  }

  protected SourceChecks() {
    this(null, null, null, null, null, 0);
  }

  /** Queues the check; false, and nothing queued, when too many checks wait already. */
  public boolean submit(String what, Caller caller, long sourceId) {
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return false;
    }
    lanes
        .submit(
            TenantLanes.ofTenant(caller.orgId()),
            () -> attempts.once(() -> checkSource(what, caller, sourceId)))
        .whenComplete(
            (checked, bug) -> {
              waiting.decrementAndGet();
              if (bug != null) {
                // a bug of ours: with its stack trace, counted; Sources checks again later
                reporter.internalError("source " + sourceId, Optional.of(what), bug);
              }
            });
    return true;
  }

  private CompletionStage<Void> checkSource(String what, Caller caller, long sourceId) {
    long started = System.nanoTime();
    List<CheckedApplication> checked = flow.checkSource(caller, sourceId);
    return CompletableFuture.allOf(
        checked.stream()
            .map(application -> report(what, caller, application, started).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  /** Reported on the application unless the reason is ours; a lost status is logged, counted. */
  private CompletionStage<Void> report(
      String what, Caller caller, CheckedApplication checked, long started) {
    Outcome outcome = checked.decision().outcome();
    boolean ours = outcome.noVerdict();
    return reporter
        .report(
            what,
            caller,
            ours ? Optional.empty() : checked.applicationId(),
            checked.decision(),
            started)
        .exceptionally(
            undelivered -> {
              metrics.statusUndelivered();
              LOG.log(
                  Level.WARNING,
                  "Status of application {0} after a check of its source not delivered: {1}",
                  new Object[] {checked.applicationId().orElse(null), undelivered.toString()});
              return null;
            });
  }
}
