package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.report.OutcomeReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Removals of trust are durable (outcomes.md): tried until RHSM confirms them (2xx, or 404 for
 * already gone), however long that takes, in the tenant's order, holding no processing slot while
 * they wait. From the first failure on, a removal shows in the pending-removal metric and the
 * health report until it is confirmed; a destroy's from the moment its event was taken, waiting for
 * its turn included ({@link SourcesEventConsumer}). For the events' removals and the take-backs of
 * fenced writers alike, on whichever pod they happen.
 */
@ApplicationScoped
public class Removals {
  private final Attempts attempts;
  private final OutcomeReporter reporter;
  private final ConsumerActivity activity;

  @Inject
  public Removals(Attempts attempts, OutcomeReporter reporter, ConsumerActivity activity) {
    this.attempts = attempts;
    this.reporter = reporter;
    this.activity = activity;
  }

  protected Removals() {
    this(null, null, null);
  }

  /**
   * Completes when {@code removal} is confirmed, not ours after all, or — for a write fenced again
   * — the write stands, with the decision that settled it: {@link Outcome#GRANT_REPLACED} when the
   * removal found, once landed, that it may have taken what a newer grant justifies (for the caller
   * to verify that again). Its attempts after the first are made as a re-drive ({@link
   * Caller#asRedrive}), around RHSM's breaker.
   */
  public CompletionStage<Decision> durably(
      String what, Caller caller, Function<Caller, Decision> removal) {
    return durably(what, caller, removal, true);
  }

  /**
   * As {@link #durably}, for a destroy's removal: pending since its event ({@code coordinates}) was
   * taken ({@link SourcesEventConsumer}), its wait in the tenant's lane included, so not marked
   * again here; no longer once it is settled, whatever the event does next (verifies an application
   * added back: a wait for a verdict is no removal pending).
   */
  public CompletionStage<Decision> ofDestroy(
      Caller caller, String coordinates, Function<Caller, Decision> removal) {
    return durably(EventTypes.APPLICATION_DESTROY, caller, removal, false)
        .whenComplete((settled, never) -> activity.destroyDone(coordinates));
  }

  private CompletionStage<Decision> durably(
      String what, Caller caller, Function<Caller, Decision> removal, boolean markPending) {
    AtomicReference<ConsumerActivity.PendingRemoval> pending = new AtomicReference<>();
    AtomicReference<Decision> settled = new AtomicReference<>();
    AtomicInteger tries = new AtomicInteger();
    return attempts
        .untilSettled(
            () -> {
              long started = System.nanoTime();
              Decision decision =
                  removal.apply(tries.getAndIncrement() == 0 ? caller : caller.asRedrive());
              settled.set(decision);
              if (decision.outcome() == Outcome.NOT_OURS) {
                return CompletableFuture.completedFuture(null);
              }
              reporter.record(what, caller, Optional.empty(), decision, started);
              // TRUSTED: a write fenced again stands, nothing to take back; GRANT_REPLACED: an
              // update's removal landed, for a grant replaced meanwhile (the caller verifies anew)
              if (decision.outcome() == Outcome.TRUST_REMOVED
                  || decision.outcome() == Outcome.GRANT_REPLACED
                  || decision.outcome() == Outcome.TRUSTED) {
                return CompletableFuture.completedFuture(null);
              }
              // waiting for any reason (RHSM unconfirmed, the type or the fence unread): pending
              if (markPending && pending.get() == null) {
                pending.set(activity.removalPending());
              }
              return CompletableFuture.failedFuture(
                  new Unsettled(
                      decision.outcome().label() + ": " + decision.detail(),
                      decision.retryAfter()));
            })
        .whenComplete(
            (removed, never) ->
                Optional.ofNullable(pending.get()).ifPresent(ConsumerActivity.PendingRemoval::done))
        .thenApply(removed -> settled.get());
  }
}
