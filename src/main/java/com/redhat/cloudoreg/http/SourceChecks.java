package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.events.Attempts;
import com.redhat.cloudoreg.events.Removals;
import com.redhat.cloudoreg.events.TenantLanes;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.flow.TrustRemovals;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.report.OutcomeReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A check of one source, as Sources' availability check and the operator's re-drive ask for it: in
 * that tenant's lane, with the events' retry budget, each Cloud Meter application reported. A check
 * never publishes an {@code unavailable} that is ours (a dependency down, a type unknown): Sources
 * checks again soon. At most {@code CLOUDOREG_MAX_WAITING_CHECKS} wait at once, one org at most
 * half of them ({@link WaitingChecks}). A check of a source whose same kind of check still waits
 * for its turn is that check: it adds nothing to wait, so a tenant whose lane is held (an event
 * that keeps failing, for hours, while Sources checks its sources hourly) holds at most one waiting
 * check per source, not one per hour.
 */
@ApplicationScoped
public class SourceChecks {
  private static final Logger LOG = Logger.getLogger(SourceChecks.class.getName());

  /** How often an application is checked again because its grant was replaced meanwhile. */
  private static final int FENCE_RERUNS = 3;

  private final TrustFlow flow;
  private final TrustRemovals ending;
  private final TenantLanes lanes;
  private final Attempts attempts;
  private final Removals removals;
  private final OutcomeReporter reporter;
  private final FlowMetrics metrics;
  private final WaitingChecks waiting;

  @Inject
  public SourceChecks(
      TrustFlow flow,
      TrustRemovals ending,
      TenantLanes lanes,
      Attempts attempts,
      Removals removals,
      OutcomeReporter reporter,
      FlowMetrics metrics,
      @ConfigProperty(name = "CLOUDOREG_MAX_WAITING_CHECKS", defaultValue = "256") int maxWaiting) {
    this.flow = flow;
    this.ending = ending;
    this.lanes = lanes;
    this.attempts = attempts;
    this.removals = removals;
    this.reporter = reporter;
    this.metrics = metrics;
    this.waiting = new WaitingChecks(maxWaiting);
  }

  protected SourceChecks() {
    this(null, null, null, null, null, null, null, 0);
  }

  /**
   * Queues the check, or finds the same kind of check of the same source still waiting for its turn
   * (which answers this one too); why not, and nothing queued, when too many checks wait already.
   */
  public Optional<String> submit(String what, Caller caller, long sourceId) {
    String orgId = caller.orgId();
    String check = what + "/" + orgId + "/" + sourceId;
    WaitingChecks.Admission admission = waiting.admit(orgId, check);
    if (admission != WaitingChecks.Admission.QUEUED) {
      return admission.refusal();
    }
    AtomicBoolean started = new AtomicBoolean();
    lanes
        .submit(
            TenantLanes.ofTenant(orgId),
            () -> {
              started.set(true);
              waiting.started(check);
              return checkSource(what, caller, sourceId);
            })
        .whenComplete(
            (checked, bug) -> {
              waiting.ended(orgId, check, started.get());
              if (bug != null) {
                // a bug of ours: with its stack trace, counted; Sources checks again later
                reporter.internalError("source " + sourceId, Optional.of(what), bug);
              }
            });
    return Optional.empty();
  }

  /**
   * The flow's work in a processing slot; what follows (statuses, take-backs, which wait for slots
   * of their own) after it, so that no slot is held while another is awaited.
   */
  private CompletionStage<Void> checkSource(String what, Caller caller, long sourceId) {
    long started = System.nanoTime();
    return inSlot(() -> flow.checkSource(caller, sourceId))
        .thenCompose(
            checked ->
                CompletableFuture.allOf(
                    checked.stream()
                        .map(
                            application ->
                                settle(
                                        what,
                                        caller,
                                        application.applicationId(),
                                        application.decision(),
                                        started,
                                        FENCE_RERUNS)
                                    .toCompletableFuture())
                        .toArray(CompletableFuture[]::new)));
  }

  /**
   * A check's decision reported, and what its fence found left behind taken back, durably: a check
   * writes to RHSM like an event does, on any pod, so it obeys the same fence
   * (docs/architecture.md). When the grant was replaced meanwhile, the application is checked again
   * on what Sources holds now, a few times at most.
   */
  private CompletionStage<Void> settle(
      String what,
      Caller caller,
      Optional<Long> applicationId,
      Decision decision,
      long started,
      int reruns) {
    CompletionStage<Void> reported = report(what, caller, applicationId, decision, started);
    Set<Long> onSourceAgain = ConcurrentHashMap.newKeySet();
    AtomicBoolean replacedMeanwhile =
        new AtomicBoolean(decision.outcome() == Outcome.GRANT_REPLACED);
    // a check is not tried again: a write of its that may stand is fenced again until it can be,
    // and when the grant it was decided on was replaced meanwhile, the current one is verified
    Optional<Function<Caller, Decision>> takeBack =
        decision.unfenced()
            ? Optional.of(
                attempt -> {
                  long id = applicationId.orElseThrow();
                  Decision fenced = flow.fenceAgain(attempt, id, decision);
                  replacedMeanwhile.set(fenced.outcome() == Outcome.GRANT_REPLACED);
                  return ending.takeBackIfLeft(attempt, id, fenced, onSourceAgain);
                })
            : decision.leftTrustBehind()
                ? Optional.of(
                    attempt ->
                        ending.takeBack(
                            attempt, applicationId.orElseThrow(), decision, onSourceAgain))
                : Optional.empty();
    CompletionStage<Void> takenBack =
        takeBack
            .map(
                removal ->
                    reported
                        .thenCompose(published -> removals.durably(what, caller, removal))
                        .thenCompose(
                            removed -> verifiedAgain(what, caller, removed, onSourceAgain, reruns)))
            .orElse(reported);
    return takenBack.thenCompose(
        takenBackAlready -> {
          if (!replacedMeanwhile.get() || reruns == 0) {
            return CompletableFuture.completedFuture(null);
          }
          return checkedAgain(what, caller, applicationId.orElseThrow(), reruns);
        });
  }

  /**
   * The Cloud Meter applications a take-back of the source's trust found on the source again once
   * it landed ({@code onSourceAgain}: RHEL management added back, trusted meanwhile), each checked
   * again, a few times at most: the take-back may have taken what their grants justify.
   */
  private CompletionStage<Void> verifiedAgain(
      String what, Caller caller, Decision removed, Set<Long> onSourceAgain, int reruns) {
    if (removed.outcome() != Outcome.GRANT_REPLACED || reruns == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(
        onSourceAgain.stream()
            .map(id -> checkedAgain(what, caller, id, reruns).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  /** The application verified again on what Sources holds now, and that settled in turn. */
  private CompletionStage<Void> checkedAgain(
      String what, Caller caller, long applicationId, int reruns) {
    long again = System.nanoTime();
    return inSlot(() -> flow.reverify(caller, applicationId))
        .thenCompose(
            rerun -> settle(what, caller, Optional.of(applicationId), rerun, again, reruns - 1));
  }

  private <T> CompletionStage<T> inSlot(Supplier<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    return attempts
        .once(
            () -> {
              result.set(work.get());
              return CompletableFuture.completedFuture(null);
            })
        .thenApply(done -> result.get());
  }

  /** Reported on the application unless the reason is ours; a lost status is logged, counted. */
  private CompletionStage<Void> report(
      String what, Caller caller, Optional<Long> applicationId, Decision decision, long started) {
    boolean ours = decision.outcome().noVerdict();
    return reporter
        .report(what, caller, ours ? Optional.empty() : applicationId, decision, started)
        .exceptionally(
            undelivered -> {
              metrics.statusUndelivered();
              LOG.log(
                  Level.WARNING,
                  "Status of application {0} after a check of its source not delivered: {1}",
                  // ids as written, never as MessageFormat's grouped numbers
                  new Object[] {
                    applicationId.map(String::valueOf).orElse("none"), undelivered.toString()
                  });
              return null;
            });
  }
}
