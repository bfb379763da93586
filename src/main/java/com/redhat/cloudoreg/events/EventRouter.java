package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.deadletters.DeadLetters;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.flow.TrustRemovals;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.report.OutcomeReporter;
import com.redhat.cloudoreg.sources.Authentication;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * From a Sources record to what it means for trust: the event type, the tenant and the body read,
 * the matching use case of {@link TrustFlow} run, its decision reported — and every decision about
 * what is kept aside or tried again. The returned stage completes when the event may be
 * acknowledged: its outcome is in Kafka (a status, a dead letter, or nothing to say). It never
 * fails: what is not settled yet is tried again, and a bug ends as a dead letter.
 */
@ApplicationScoped
public class EventRouter {
  private static final Logger LOG = Logger.getLogger(EventRouter.class.getName());

  /** How often a use case is run again because its grant was replaced while it verified. */
  private static final int FENCE_RERUNS = 3;

  private static final Set<String> CLOUD_METER_AUTHTYPES =
      Set.of(Authentication.CLOUD_METER_ARN, Authentication.LIGHTHOUSE_SUBSCRIPTION_ID);

  private final TrustFlow flow;
  private final TrustRemovals ending;
  private final OutcomeReporter reporter;
  private final DeadLetters deadLetters;
  private final Attempts attempts;
  private final Removals removals;
  private final TenantLanes lanes;
  private final PropagationRechecks rechecks;
  private final FlowMetrics metrics;

  @Inject
  public EventRouter(
      TrustFlow flow,
      TrustRemovals ending,
      OutcomeReporter reporter,
      DeadLetters deadLetters,
      Attempts attempts,
      Removals removals,
      TenantLanes lanes,
      PropagationRechecks rechecks,
      FlowMetrics metrics) {
    this.flow = flow;
    this.ending = ending;
    this.reporter = reporter;
    this.deadLetters = deadLetters;
    this.attempts = attempts;
    this.removals = removals;
    this.lanes = lanes;
    this.rechecks = rechecks;
    this.metrics = metrics;
  }

  protected EventRouter() {
    this(null, null, null, null, null, null, null, null, null);
  }

  public CompletionStage<Void> route(SourcesEvent event) {
    CompletionStage<Void> handled;
    try {
      metrics.consumed(event.eventType().orElse(null));
      handled = handle(event, event.eventType());
    } catch (RuntimeException bug) {
      handled = CompletableFuture.failedFuture(bug);
    }
    return handled.exceptionallyCompose(bug -> keepAfterBug(event, bug));
  }

  /**
   * A bug of ours met while routing the event: logged with its stack trace, counted, and the event
   * kept as a dead letter, so that it can be acknowledged rather than block its partition.
   */
  public CompletionStage<Void> keepAfterBug(SourcesEvent event, Throwable failure) {
    Throwable bug = Attempts.unwrap(failure);
    reporter.internalError(event.coordinates(), event.eventType(), bug);
    String reason = "internal error: " + bug.getClass().getSimpleName();
    return attempts.untilSettled(() -> delivered(deadLetters.send(event.record(), reason)));
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
        case EventTypes.AUTHENTICATION_DESTROY -> onAuthenticationDestroy(event, caller);
        default -> onApplicationDestroy(event, caller);
      };
    } catch (MalformedEvent malformed) {
      return unreportable(event, type, "malformed " + type.get() + ": " + malformed.getMessage());
    }
  }

  private CompletionStage<Void> onCreate(SourcesEvent event, Caller caller) {
    ApplicationAuthenticationCreate created = ApplicationAuthenticationCreate.parse(event.body());
    return finish(
            EventTypes.APPLICATION_AUTHENTICATION_CREATE,
            caller,
            created.applicationId(),
            attempt -> flow.establish(attempt, created.applicationId(), created.authenticationId()))
        .thenAccept(
            decision -> {
              if (decision.outcome() == Outcome.SUBSCRIPTION_NOT_DELEGATED) {
                recheckDelegation(caller, created, 0);
              }
            });
  }

  /**
   * A create told "not delegated" is verified again later, in its tenant's lane, a few times
   * ({@link PropagationRechecks}): a delegation Azure did not show yet becomes available without
   * the customer's help. Not delegated again is not told again; anything else is.
   */
  private void recheckDelegation(
      Caller caller, ApplicationAuthenticationCreate created, int round) {
    String what = EventTypes.APPLICATION_AUTHENTICATION_CREATE;
    rechecks.schedule(
        round,
        () ->
            lanes
                .submit(
                    TenantLanes.ofTenant(caller.orgId()),
                    () ->
                        finish(
                                what,
                                caller,
                                created.applicationId(),
                                attempt ->
                                    flow.establish(
                                        attempt,
                                        created.applicationId(),
                                        created.authenticationId()),
                                FENCE_RERUNS,
                                Optional.of(Outcome.SUBSCRIPTION_NOT_DELEGATED))
                            .thenAccept(
                                decision -> {
                                  boolean still =
                                      decision.outcome() == Outcome.SUBSCRIPTION_NOT_DELEGATED;
                                  metrics.propagationRecheck(
                                      still
                                          ? "not_delegated"
                                          : decision.outcome() == Outcome.TRUSTED
                                              ? "delegated"
                                              : "other");
                                  if (still) {
                                    recheckDelegation(caller, created, round + 1);
                                  }
                                }))
                .exceptionally(
                    bug -> {
                      reporter.internalError(
                          "application " + created.applicationId(), Optional.of(what), bug);
                      return null;
                    }));
  }

  private CompletionStage<Void> onUnpause(SourcesEvent event, Caller caller) {
    ApplicationEvent unpaused = ApplicationEvent.parse(event.body());
    return finish(
            EventTypes.APPLICATION_UNPAUSE,
            caller,
            unpaused.applicationId(),
            attempt -> flow.reverify(attempt, unpaused.applicationId()))
        .thenApply(decided -> null);
  }

  /**
   * A replacement settles or waits: while the new grant cannot be decided the event stays (its
   * tenant's later events behind it), and the old trust goes exactly when it is decided — the
   * source's other accounts once the new one is trusted, all of them when the customer must fix the
   * new grant (their Azure delegation stays).
   */
  private CompletionStage<Void> onAuthenticationUpdate(SourcesEvent event, Caller caller) {
    return onCloudMeterGrant(
        EventTypes.AUTHENTICATION_UPDATE,
        event,
        caller,
        updated ->
            attempt -> flow.establish(attempt, updated.resourceId(), updated.authenticationId()));
  }

  /**
   * The customer deleted an application's authentication (Sources raises only this: the link to the
   * application goes with it). The application's grant is what it has now: none, and it is told so
   * (CG2000) and the source's trust goes; another, and it is verified and the source's other
   * accounts go, as after an update. In a destroy's cascade the application is gone by then
   * (Sources deletes it in the same transaction, before any event): nothing to do.
   */
  private CompletionStage<Void> onAuthenticationDestroy(SourcesEvent event, Caller caller) {
    return onCloudMeterGrant(
        EventTypes.AUTHENTICATION_DESTROY,
        event,
        caller,
        destroyed -> attempt -> flow.reverify(attempt, destroyed.resourceId()));
  }

  /**
   * An application's Cloud Meter grant changed or went ({@code decide}: on what Sources holds), and
   * the source's trust it no longer justifies removed, durably: the source's other accounts once it
   * is trusted, all of them when the customer must act (an Azure grant's delegations stay, recorded
   * to end with the application). Another authtype or resource is not ours: no call. A removal that
   * finds, once landed, the grant it was decided on replaced meanwhile (on another replica)
   * verifies the current grant again: it may have removed what that grant justifies.
   */
  private CompletionStage<Void> onCloudMeterGrant(
      String what,
      SourcesEvent event,
      Caller caller,
      Function<AuthenticationEvent, Function<Caller, Decision>> decide) {
    AuthenticationEvent changed = AuthenticationEvent.parse(event.body());
    if (!CLOUD_METER_AUTHTYPES.contains(changed.authtype())
        || !Authentication.APPLICATION_RESOURCE.equals(changed.resourceType())) {
      return done();
    }
    long applicationId = changed.resourceId();
    boolean azureGrant = Authentication.LIGHTHOUSE_SUBSCRIPTION_ID.equals(changed.authtype());
    return finish(what, caller, applicationId, decide.apply(changed))
        .thenCompose(
            decision ->
                isGrantVerdict(decision)
                    ? removeUnjustified(what, caller, applicationId, decision, azureGrant)
                    : done());
  }

  /** A verdict on the source's grant: trusted, or the customer's to fix (no verdict, none). */
  private static boolean isGrantVerdict(Decision decision) {
    return decision.sourceId().isPresent()
        && (decision.outcome() == Outcome.TRUSTED && decision.trusted().isPresent()
            || decision.customerMustAct());
  }

  /**
   * The removal after a decided grant, and the verification again if it took a newer one's — or if
   * it took the trust of a refused grant (not a missing one) only after its first attempt: the
   * customer may have fixed what the refusal told them meanwhile (the role's trust policy, the
   * Lighthouse offer) and a check on another pod trusted the same grant again, which this late
   * removal took. The verification restores it; still refused, the refusal is told again (that
   * check may have told "available").
   */
  private CompletionStage<Void> removeUnjustified(
      String what, Caller caller, long applicationId, Decision decided, boolean azureGrant) {
    AtomicInteger tries = new AtomicInteger();
    return removals
        .durably(
            what,
            caller,
            attempt -> {
              tries.incrementAndGet();
              return ending.removeReplaced(attempt, applicationId, decided, azureGrant);
            })
        .thenCompose(
            removed ->
                removed.outcome() == Outcome.GRANT_REPLACED
                        || decided.customerMustAct()
                            && decided.decidedOn().isPresent()
                            && tries.get() > 1
                    ? finish(
                            what,
                            caller,
                            applicationId,
                            attempt -> flow.reverify(attempt, applicationId))
                        .thenApply(verified -> null)
                    : done());
  }

  /**
   * The source's trust removed, durably. A removal that finds, once landed, a Cloud Meter
   * application on the source again (RHEL management added back, trusted meanwhile on another
   * replica) verifies it again, before the destroy is acknowledged: the removal may have taken what
   * its grant justifies. The removal is no longer pending meanwhile ({@link Removals#ofDestroy}).
   */
  private CompletionStage<Void> onApplicationDestroy(SourcesEvent event, Caller caller) {
    ApplicationEvent destroyed = ApplicationEvent.parse(event.body());
    Set<Long> onSourceAgain = ConcurrentHashMap.newKeySet();
    return removals
        .ofDestroy(
            caller,
            event.coordinates(),
            ending.removalOfDestroyed(
                destroyed.applicationId(),
                destroyed.sourceId(),
                destroyed.applicationTypeId(),
                onSourceAgain))
        .thenCompose(
            removed ->
                verifiedAgain(EventTypes.APPLICATION_DESTROY, caller, removed, onSourceAgain));
  }

  /**
   * The Cloud Meter applications a removal of a source's trust found on the source again, once it
   * landed ({@code onSourceAgain}; a destroy's removal, a take-back of an application gone), each
   * verified again: the removal may have taken what their grants justify.
   */
  private CompletionStage<Void> verifiedAgain(
      String what, Caller caller, Decision removed, Set<Long> onSourceAgain) {
    if (removed.outcome() != Outcome.GRANT_REPLACED) {
      return done();
    }
    return CompletableFuture.allOf(
        onSourceAgain.stream()
            .map(
                applicationId ->
                    finish(
                            what,
                            caller,
                            applicationId,
                            attempt -> flow.reverify(attempt, applicationId))
                        .toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  /**
   * A use case carried to its end: decided ({@link #decided}), its status delivered (published
   * again from the same decision should Kafka refuse it, never by deciding anew), and what its
   * fence found left behind taken back — then, when its grant was replaced meanwhile, the
   * application is verified again on what Sources holds now, a few times at most (Sources changing
   * faster than that is settled by the events of those changes). Completes with the last decision.
   */
  private CompletionStage<Decision> finish(
      String what, Caller caller, long applicationId, Function<Caller, Decision> useCase) {
    return finish(what, caller, applicationId, useCase, FENCE_RERUNS, Optional.empty());
  }

  private CompletionStage<Decision> finish(
      String what,
      Caller caller,
      long applicationId,
      Function<Caller, Decision> useCase,
      int reruns,
      Optional<Outcome> alreadyTold) {
    AtomicBoolean toldOurs = new AtomicBoolean();
    return decided(what, caller, applicationId, useCase, toldOurs)
        .thenCompose(
            decision ->
                // the customer's last status is this run's: told CG3100 on the way, the verdict
                // follows even when it is the one told before
                !toldOurs.get() && alreadyTold.filter(decision.outcome()::equals).isPresent()
                    ? CompletableFuture.completedFuture(decision)
                    : told(caller, applicationId, decision))
        .thenCompose(
            decision -> {
              Set<Long> onSourceAgain = ConcurrentHashMap.newKeySet();
              CompletionStage<Void> takenBack =
                  decision.leftTrustBehind()
                      ? removals
                          .durably(
                              what,
                              caller,
                              attempt ->
                                  ending.takeBack(attempt, applicationId, decision, onSourceAgain))
                          .thenCompose(
                              removed -> verifiedAgain(what, caller, removed, onSourceAgain))
                      : done();
              return decision.outcome() == Outcome.GRANT_REPLACED && reruns > 0
                  ? takenBack.thenCompose(
                      again ->
                          finish(
                              what,
                              caller,
                              applicationId,
                              attempt -> flow.reverify(attempt, applicationId),
                              reruns - 1,
                              alreadyTold))
                  : takenBack.thenApply(again -> decision);
            });
  }

  /**
   * Tried until there is a verdict (or the application is gone). A decision that is ours to finish
   * — a peer down past its retry budget, a breaker open, throttled — is told to the customer once
   * (CG3100: nothing wrong with their settings) and tried again, pauses growing, never sooner than
   * a peer's {@code Retry-After}; a type not known yet is tried again without a word. Never a dead
   * letter: no operator has to finish what a retry can. Attempts after the first are re-drives,
   * which the peers' breakers do not count ({@code policy/Breakers}). {@code told} says whether the
   * CG3100 was told in this run.
   */
  private CompletionStage<Decision> decided(
      String what,
      Caller caller,
      long applicationId,
      Function<Caller, Decision> useCase,
      AtomicBoolean told) {
    AtomicReference<Decision> settled = new AtomicReference<>();
    // each account an attempt may have left unfenced: a later attempt, on a grant replaced
    // meanwhile, may write another
    Map<TrustedAccount, Decision> unfenced = new ConcurrentHashMap<>();
    AtomicInteger tries = new AtomicInteger();
    return attempts
        .untilSettled(
            () -> {
              long started = System.nanoTime();
              Decision decision =
                  useCase.apply(tries.getAndIncrement() == 0 ? caller : caller.asRedrive());
              reporter.record(what, caller, Optional.of(applicationId), decision, started);
              if (!decision.outcome().noVerdict()) {
                settled.set(decision);
                return done();
              }
              if (decision.unfenced()) {
                unfenced.put(decision.trusted().orElseThrow(), decision);
              }
              CompletionStage<Void> tell =
                  decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE
                          && told.compareAndSet(false, true)
                      ? reporter
                          .publish(caller, applicationId, decision.outcome())
                          .exceptionally(lost -> notTold(applicationId, lost))
                      : done();
              return tell.thenCompose(
                  toldOrNot ->
                      CompletableFuture.failedFuture(
                          new Unsettled(
                              decision.outcome().label() + ": " + decision.detail(),
                              decision.retryAfter())));
            })
        .thenCompose(
            decidedAtLast ->
                CompletableFuture.allOf(
                    unfenced.values().stream()
                        .map(
                            write ->
                                fencedAgain(what, caller, applicationId, write, settled.get())
                                    .toCompletableFuture())
                        .toArray(CompletableFuture[]::new)))
        .thenApply(fenced -> settled.get());
  }

  /**
   * The verdict's status, delivered: sent again from the same decision should Kafka refuse it,
   * never by deciding anew — but only while the grant it was decided on is still the application's
   * ({@code TrustFlow.stillToTell}): a revoked replica's late re-send would stand over the verdicts
   * the partition's new owner told since.
   */
  private CompletionStage<Decision> told(Caller caller, long applicationId, Decision decision) {
    AtomicInteger sends = new AtomicInteger();
    return attempts
        .untilSettled(
            () -> {
              if (sends.getAndIncrement() > 0
                  && !flow.stillToTell(caller.asRedrive(), applicationId, decision)) {
                LOG.log(
                    Level.INFO,
                    "Status {0} of application {1} not sent again: its grant was replaced, or it"
                        + " is gone, since it was decided",
                    new Object[] {decision.outcome().label(), Long.toString(applicationId)});
                return done();
              }
              return delivered(reporter.publish(caller, applicationId, decision.outcome()));
            })
        .thenApply(delivered -> decision);
  }

  /**
   * A write an attempt left unfenced (its answer or its fence's read lost) is fenced again once the
   * use case is decided — unless the last decision's own fence confirmed that very account — and
   * taken back if the application is gone or the grant it was decided on is no longer its grant by
   * then (the decision, made on the current grant, says what that grant justifies): whatever the
   * later attempts found, that write is never left standing unchecked.
   */
  private CompletionStage<Void> fencedAgain(
      String what, Caller caller, long applicationId, Decision unfenced, Decision last) {
    if (last.outcome() == Outcome.TRUSTED && last.trusted().equals(unfenced.trusted())) {
      return done();
    }
    Set<Long> onSourceAgain = ConcurrentHashMap.newKeySet();
    return removals
        .durably(
            what,
            caller,
            attempt ->
                ending.takeBackIfLeft(
                    attempt,
                    applicationId,
                    flow.fenceAgain(attempt, applicationId, unfenced),
                    onSourceAgain))
        .thenCompose(removed -> verifiedAgain(what, caller, removed, onSourceAgain));
  }

  /** The CG3100 on the way is a courtesy: lost, it is counted; the verdict follows anyway. */
  private Void notTold(long applicationId, Throwable lost) {
    metrics.statusUndelivered();
    LOG.log(
        Level.WARNING,
        "CG3100 for application {0} not delivered: {1}",
        new Object[] {Long.toString(applicationId), lost.toString()});
    return null;
  }

  private CompletionStage<Void> unreportable(
      SourcesEvent event, Optional<String> type, String reason) {
    reporter.unreportable(event.coordinates(), type, reason);
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

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
