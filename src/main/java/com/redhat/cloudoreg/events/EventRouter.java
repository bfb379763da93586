package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.deadletters.DeadLetters;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.report.OutcomeReporter;
import com.redhat.cloudoreg.sources.Authentication;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * From a Sources record to what it means for trust: the event type, the tenant and the body read,
 * the matching use case of {@link TrustFlow} run, its decision reported — and every decision about
 * what is kept aside or tried again. The returned stage completes when the event may be
 * acknowledged: its outcome is in Kafka (a status, a dead letter, or nothing to say). It never
 * fails: what is not settled yet is tried again, and a bug ends as a dead letter.
 */
@ApplicationScoped
public class EventRouter {
  private static final Set<String> CLOUD_METER_AUTHTYPES =
      Set.of(Authentication.CLOUD_METER_ARN, Authentication.LIGHTHOUSE_SUBSCRIPTION_ID);

  private final TrustFlow flow;
  private final OutcomeReporter reporter;
  private final DeadLetters deadLetters;
  private final Attempts attempts;
  private final ConsumerActivity activity;
  private final FlowMetrics metrics;

  @Inject
  public EventRouter(
      TrustFlow flow,
      OutcomeReporter reporter,
      DeadLetters deadLetters,
      Attempts attempts,
      ConsumerActivity activity,
      FlowMetrics metrics) {
    this.flow = flow;
    this.reporter = reporter;
    this.deadLetters = deadLetters;
    this.attempts = attempts;
    this.activity = activity;
    this.metrics = metrics;
  }

  protected EventRouter() {
    this(null, null, null, null, null, null);
  }

  public CompletionStage<Void> route(SourcesEvent event) {
    Optional<String> type = event.eventType();
    metrics.consumed(type.orElse(null));
    CompletionStage<Void> handled;
    try {
      handled = handle(event, type);
    } catch (RuntimeException bug) {
      handled = CompletableFuture.failedFuture(bug);
    }
    return handled.exceptionallyCompose(bug -> keepAfterBug(event, type, Attempts.unwrap(bug)));
  }

  private CompletionStage<Void> handle(SourcesEvent event, Optional<String> type) {
    if (type.isEmpty()) {
      // Sources sets it on every event: without it nobody can tell what the event was
      return unreportable(event, type, "no event_type header");
    }
    if (!EventTypes.HANDLED.contains(type.get())) {
      return done();
    }
    Map<String, String> headers = event.headerValues();
    Optional<Tenant> tenant = TenantResolver.resolve(headers);
    if (tenant.isEmpty()) {
      return unreportable(
          event, type, "no tenant: no x-rh-sources-org-id and no org_id in x-rh-identity");
    }
    Caller caller = Caller.of(tenant.get(), headers);
    try {
      return switch (type.get()) {
        case EventTypes.APPLICATION_AUTHENTICATION_CREATE -> onCreate(event, caller);
        case EventTypes.APPLICATION_UNPAUSE -> onUnpause(event, caller);
        case EventTypes.AUTHENTICATION_UPDATE -> onAuthenticationUpdate(event, caller);
        default -> onApplicationDestroy(event, caller);
      };
    } catch (MalformedEvent malformed) {
      return unreportable(event, type, "malformed " + type.get() + ": " + malformed.getMessage());
    }
  }

  private CompletionStage<Void> onCreate(SourcesEvent event, Caller caller) {
    ApplicationAuthenticationCreate created = ApplicationAuthenticationCreate.parse(event.body());
    return decided(
            event,
            EventTypes.APPLICATION_AUTHENTICATION_CREATE,
            caller,
            created.applicationId(),
            () -> flow.establish(caller, created.applicationId(), created.authenticationId()))
        .thenCompose(
            decision ->
                takeBackIfLeftBehind(
                    EventTypes.APPLICATION_AUTHENTICATION_CREATE, caller, decision));
  }

  private CompletionStage<Void> onUnpause(SourcesEvent event, Caller caller) {
    ApplicationEvent unpaused = ApplicationEvent.parse(event.body());
    return decided(
            event,
            EventTypes.APPLICATION_UNPAUSE,
            caller,
            unpaused.applicationId(),
            () -> flow.reverify(caller, unpaused.applicationId()))
        .thenCompose(
            decision -> takeBackIfLeftBehind(EventTypes.APPLICATION_UNPAUSE, caller, decision));
  }

  private CompletionStage<Void> onAuthenticationUpdate(SourcesEvent event, Caller caller) {
    AuthenticationUpdate updated = AuthenticationUpdate.parse(event.body());
    if (!CLOUD_METER_AUTHTYPES.contains(updated.authtype())
        || !Authentication.APPLICATION_RESOURCE.equals(updated.resourceType())) {
      return done();
    }
    return decided(
            event,
            EventTypes.AUTHENTICATION_UPDATE,
            caller,
            updated.resourceId(),
            () -> flow.replace(caller, updated.resourceId(), updated.authenticationId()))
        .thenCompose(decision -> afterReplacement(caller, decision));
  }

  /**
   * The rest of a replacement, durable: the new account trusted, the replaced ones go; the new
   * grant refused, all of the source's go (the customer replaced them); the application gone
   * meanwhile, what was registered is taken back.
   */
  private CompletionStage<Void> afterReplacement(Caller caller, Decision decision) {
    String what = EventTypes.AUTHENTICATION_UPDATE;
    if (decision.sourceId().isEmpty()) {
      return done();
    }
    String sourceId = decision.sourceId().get();
    if (decision.outcome() == Outcome.TRUSTED && decision.trusted().isPresent()) {
      return removal(
          what, caller, () -> flow.removeAllBut(caller, sourceId, decision.trusted().get()));
    }
    if (decision.customerMustAct() || decision.leftTrustBehind()) {
      return removal(what, caller, () -> flow.remove(caller, sourceId));
    }
    return done();
  }

  /** A late writer's registration for an application destroyed meanwhile, taken back durably. */
  private CompletionStage<Void> takeBackIfLeftBehind(
      String what, Caller caller, Decision decision) {
    return decision.leftTrustBehind()
        ? removal(what, caller, () -> flow.remove(caller, decision.sourceId().orElseThrow()))
        : done();
  }

  private CompletionStage<Void> onApplicationDestroy(SourcesEvent event, Caller caller) {
    ApplicationEvent destroyed = ApplicationEvent.parse(event.body());
    return removal(
        EventTypes.APPLICATION_DESTROY,
        caller,
        () -> flow.removeIfCloudMeter(caller, destroyed.sourceId(), destroyed.applicationTypeId()));
  }

  /**
   * A use case whose decision is reported on the application: tried again while the decision is
   * unknown; an outage after the retry budget is reported (CG3100) and kept as a dead letter too.
   * Completes with the settled decision.
   */
  private CompletionStage<Decision> decided(
      SourcesEvent event,
      String eventType,
      Caller caller,
      long applicationId,
      Supplier<Decision> useCase) {
    AtomicReference<Decision> settled = new AtomicReference<>();
    return attempts
        .untilSettled(
            () -> {
              long started = System.nanoTime();
              Decision decision = useCase.get();
              settled.set(decision);
              CompletionStage<Void> reported =
                  reporter.report(eventType, caller, Optional.of(applicationId), decision, started);
              return switch (decision.outcome()) {
                case TYPE_UNKNOWN -> unsettled(reported, "type unknown: " + decision.detail());
                case TEMPORARILY_IMPOSSIBLE -> {
                  metrics.deadLettered(FlowMetrics.DeadLetterKind.RETRY_BUDGET_SPENT);
                  yield delivered(
                      reported.thenCompose(
                          published ->
                              deadLetters.send(
                                  event.record(), "retry budget spent: " + decision.detail())));
                }
                default -> delivered(reported);
              };
            })
        .thenApply(delivered -> settled.get());
  }

  /**
   * A removal of trust: durable. Tried until RHSM confirms it, however long that takes, in the
   * tenant's order; its wait shows in the pending-removal metric and the health report.
   */
  private CompletionStage<Void> removal(
      String eventType, Caller caller, Supplier<Decision> removal) {
    AtomicReference<ConsumerActivity.PendingRemoval> pending = new AtomicReference<>();
    return attempts
        .untilSettled(
            () -> {
              long started = System.nanoTime();
              Decision decision = removal.get();
              if (decision.outcome() == Outcome.NOT_OURS) {
                return done();
              }
              CompletionStage<Void> logged =
                  reporter.report(eventType, caller, Optional.empty(), decision, started);
              if (decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE) {
                if (pending.get() == null) {
                  pending.set(activity.removalPending());
                }
                return unsettled(logged, "removal not confirmed: " + decision.detail());
              }
              if (decision.outcome() == Outcome.TYPE_UNKNOWN) {
                return unsettled(logged, "type unknown: " + decision.detail());
              }
              return logged;
            })
        .whenComplete(
            (removed, never) ->
                Optional.ofNullable(pending.get())
                    .ifPresent(ConsumerActivity.PendingRemoval::done));
  }

  private CompletionStage<Void> unreportable(
      SourcesEvent event, Optional<String> type, String reason) {
    reporter.unreportable(event.coordinates(), type, reason);
    return attempts.untilSettled(() -> delivered(deadLetters.send(event.record(), reason)));
  }

  private CompletionStage<Void> keepAfterBug(
      SourcesEvent event, Optional<String> type, Throwable bug) {
    reporter.internalError(event.coordinates(), type, bug);
    String reason = "internal error: " + bug.getClass().getSimpleName();
    return attempts.untilSettled(() -> delivered(deadLetters.send(event.record(), reason)));
  }

  /** What Kafka did not take is tried again, never left unacknowledged for good. */
  private static CompletionStage<Void> delivered(CompletionStage<Void> sent) {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    sent.whenComplete(
        (nothing, undelivered) -> {
          if (undelivered == null) {
            settled.complete(null);
          } else {
            settled.completeExceptionally(
                new Unsettled("not delivered to Kafka: " + Attempts.unwrap(undelivered)));
          }
        });
    return settled;
  }

  /**
   * Fails with {@link Unsettled} itself, not wrapped in a {@code CompletionException}: MP Fault
   * Tolerance matches {@code retryOn} against the very exception the stage failed with.
   */
  private static CompletionStage<Void> unsettled(CompletionStage<Void> logged, String why) {
    CompletableFuture<Void> unsettled = new CompletableFuture<>();
    delivered(logged)
        .whenComplete(
            (nothing, undelivered) ->
                unsettled.completeExceptionally(
                    undelivered == null ? new Unsettled(why) : Attempts.unwrap(undelivered)));
    return unsettled;
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
