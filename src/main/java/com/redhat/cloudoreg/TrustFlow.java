package com.redhat.cloudoreg;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.events.ApplicationAuthenticationCreate;
import com.redhat.cloudoreg.events.ApplicationEvent;
import com.redhat.cloudoreg.events.AuthenticationUpdate;
import com.redhat.cloudoreg.events.DeadLetters;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.events.SourceDestroy;
import com.redhat.cloudoreg.events.SourcesEvent;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Availability;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OutcomeLog;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.SourcesGateway;
import com.redhat.cloudoreg.status.StatusPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The whole of cloudoreg in one place. A Sources event comes in; its tenant is found; for a Cloud
 * Meter application the application and its authentication are read from Sources, the role ARN
 * checked, verified with STS, and the trust put in step at RHSM; the outcome goes out to Sources.
 *
 * <ul>
 *   <li>{@code ApplicationAuthentication.create} and {@code Application.unpause}: verify, register;
 *   <li>{@code Authentication.update}: verify the new ARN, make RHSM hold exactly it (the old trust
 *       is removed also when the new ARN is refused, since the customer replaced it);
 *   <li>{@code Application.destroy} of Cloud Meter and {@code Source.destroy}: remove the source's
 *       trust, report nothing (the application no longer exists);
 *   <li>an availability check (Sources asks over HTTP): verify each Cloud Meter application of the
 *       source, make sure its trust exists, report.
 * </ul>
 *
 * Every path ends in a completed stage; the stage fails only when Kafka did not take what we had to
 * say, and then the event must not be acknowledged.
 */
@ApplicationScoped
public class TrustFlow {
  private final SourcesGateway sources;
  private final CloudMeterType cloudMeter;
  private final StsVerifier sts;
  private final TrustRegistrar trust;
  private final StatusPublisher status;
  private final DeadLetters deadLetters;
  private final Executor executor;
  private final FlowMetrics metrics;

  @Inject
  public TrustFlow(
      SourcesGateway sources,
      CloudMeterType cloudMeter,
      StsVerifier sts,
      TrustRegistrar trust,
      StatusPublisher status,
      DeadLetters deadLetters,
      Executor executor,
      FlowMetrics metrics) {
    this.sources = sources;
    this.cloudMeter = cloudMeter;
    this.sts = sts;
    this.trust = trust;
    this.status = status;
    this.deadLetters = deadLetters;
    this.executor = executor;
    this.metrics = metrics;
  }

  protected TrustFlow() {
    this(null, null, null, null, null, null, null, null);
  }

  public CompletionStage<Void> handle(SourcesEvent event) {
    Optional<String> type = event.eventType();
    metrics.consumed(type.orElse(null));
    if (type.isEmpty()) {
      // Sources sets it on every event: without it nobody can tell what the event was
      return unreportable(event, "no event_type header");
    }
    return switch (type.get()) {
      case EventTypes.APPLICATION_AUTHENTICATION_CREATE -> forTenant(event, this::onCreate);
      case EventTypes.APPLICATION_UNPAUSE -> forTenant(event, this::onUnpause);
      case EventTypes.AUTHENTICATION_UPDATE -> forTenant(event, this::onAuthenticationUpdate);
      case EventTypes.APPLICATION_DESTROY -> forTenant(event, this::onApplicationDestroy);
      case EventTypes.SOURCE_DESTROY -> forTenant(event, this::onSourceDestroy);
      default -> CompletableFuture.completedFuture(null);
    };
  }

  /** Sources' availability check of a source: every Cloud Meter application of it, reported. */
  public CompletionStage<Void> checkAvailability(Caller caller, long sourceId) {
    long started = System.nanoTime();
    List<Application> applications;
    try {
      applications =
          sources.applicationsOf(caller, sourceId).stream()
              .filter(cloudMeter::isCloudMeter)
              .toList();
    } catch (RuntimeException failure) {
      log(
          "availability_check",
          caller,
          null,
          new Decision(Outcomes.of(failure), Long.toString(sourceId), describe(failure)),
          started);
      return CompletableFuture.completedFuture(null);
    }
    List<CompletionStage<Void>> reported = new ArrayList<>();
    for (Application application : applications) {
      long applicationId = Long.parseLong(application.id());
      Decision decision =
          decide(
              caller,
              applicationId,
              authenticationOfApplication(caller, applicationId),
              trust::establish);
      reported.add(
          report(
              null, "availability_check", caller, Optional.of(applicationId), decision, started));
    }
    return CompletableFuture.allOf(
        reported.stream()
            .map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture[]::new));
  }

  private CompletionStage<Void> onCreate(SourcesEvent event, Caller caller, long started) {
    ApplicationAuthenticationCreate created = ApplicationAuthenticationCreate.parse(event.body());
    Decision decision =
        decide(
            caller,
            created.applicationId(),
            () -> sources.authentication(caller, created.authenticationId()),
            trust::establish);
    return report(
        event,
        EventTypes.APPLICATION_AUTHENTICATION_CREATE,
        caller,
        Optional.of(created.applicationId()),
        decision,
        started);
  }

  private CompletionStage<Void> onUnpause(SourcesEvent event, Caller caller, long started) {
    ApplicationEvent unpaused = ApplicationEvent.parse(event.body());
    if (!isCloudMeter(unpaused)) {
      return CompletableFuture.completedFuture(null);
    }
    Decision decision =
        decide(
            caller,
            unpaused.applicationId(),
            authenticationOfApplication(caller, unpaused.applicationId()),
            trust::establish);
    return report(
        event,
        EventTypes.APPLICATION_UNPAUSE,
        caller,
        Optional.of(unpaused.applicationId()),
        decision,
        started);
  }

  private CompletionStage<Void> onAuthenticationUpdate(
      SourcesEvent event, Caller caller, long started) {
    AuthenticationUpdate updated = AuthenticationUpdate.parse(event.body());
    if (!Authentication.CLOUD_METER_ARN.equals(updated.authtype())
        || !Authentication.APPLICATION_RESOURCE.equals(updated.resourceType())) {
      return CompletableFuture.completedFuture(null);
    }
    Decision decision =
        decide(
            caller,
            updated.resourceId(),
            () -> sources.authentication(caller, updated.authenticationId()),
            trust::replace);
    if (decision.customerMustAct() && decision.sourceId() != null) {
      // the customer replaced the ARN: the old one must not stay trusted
      decision = removeAfterRejection(caller, decision);
    }
    return report(
        event,
        EventTypes.AUTHENTICATION_UPDATE,
        caller,
        Optional.of(updated.resourceId()),
        decision,
        started);
  }

  private CompletionStage<Void> onApplicationDestroy(
      SourcesEvent event, Caller caller, long started) {
    ApplicationEvent destroyed = ApplicationEvent.parse(event.body());
    if (!isCloudMeter(destroyed)) {
      return CompletableFuture.completedFuture(null);
    }
    Decision decision = removeTrust(caller, Long.toString(destroyed.sourceId()));
    return report(
        event, EventTypes.APPLICATION_DESTROY, caller, Optional.empty(), decision, started);
  }

  private CompletionStage<Void> onSourceDestroy(SourcesEvent event, Caller caller, long started) {
    SourceDestroy destroyed = SourceDestroy.parse(event.body());
    Decision decision = removeTrust(caller, Long.toString(destroyed.sourceId()));
    return report(event, EventTypes.SOURCE_DESTROY, caller, Optional.empty(), decision, started);
  }

  /**
   * The verification all trusting paths share: the application must be Cloud Meter's, its
   * authentication a role ARN that STS lets us assume, and then the trust is changed at RHSM.
   */
  private Decision decide(
      Caller caller,
      long applicationId,
      Supplier<Optional<Authentication>> authenticationRead,
      TrustChange change) {
    String sourceId = null;
    try {
      // both reads at once: they are independent, and most events are Cloud Meter's
      CompletableFuture<Optional<Authentication>> authentication =
          CompletableFuture.supplyAsync(authenticationRead, executor);
      Optional<Application> application = sources.application(caller, applicationId);
      if (application.isEmpty()) {
        return new Decision(Outcome.APPLICATION_GONE, null, "application not found in Sources");
      }
      sourceId = application.get().sourceId();
      if (!cloudMeter.isCloudMeter(application.get())) {
        return new Decision(Outcome.NOT_OURS, sourceId, "not a Cloud Meter application");
      }
      Authentication found =
          join(authentication)
              .orElseThrow(
                  () ->
                      new Rejection(
                          Outcome.AUTHENTICATION_MISSING, "authentication not found in Sources"));
      RoleArn role = roleArnOf(found);
      sts.verify(role, found.externalId());
      change.apply(caller, role.accountId(), sourceId);
      return new Decision(Outcome.TRUSTED, sourceId, "trusted account " + role.accountId());
    } catch (RuntimeException failure) {
      return new Decision(Outcomes.of(failure), sourceId, describe(failure));
    }
  }

  private Decision removeAfterRejection(Caller caller, Decision rejected) {
    Decision removal = removeTrust(caller, rejected.sourceId());
    return removal.outcome() == Outcome.TRUST_REMOVED
        ? new Decision(
            rejected.outcome(), rejected.sourceId(), rejected.detail() + "; old trust removed")
        : removal;
  }

  private Decision removeTrust(Caller caller, String sourceId) {
    try {
      trust.remove(caller, sourceId);
      return new Decision(
          Outcome.TRUST_REMOVED, sourceId, "trust of source " + sourceId + " removed");
    } catch (RuntimeException failure) {
      return new Decision(Outcomes.of(failure), sourceId, describe(failure));
    }
  }

  /** Sources lists the application's authentications; the role ARN one is read in full. */
  private Supplier<Optional<Authentication>> authenticationOfApplication(
      Caller caller, long applicationId) {
    return () ->
        sources
            .authenticationIdOf(caller, applicationId)
            .flatMap(id -> sources.authentication(caller, id));
  }

  private boolean isCloudMeter(ApplicationEvent application) {
    try {
      return cloudMeter.isCloudMeter(application.applicationTypeId());
    } catch (RuntimeException unknownYet) {
      // the type id cannot be looked up now: treat the event as ours rather than lose it
      return true;
    }
  }

  /**
   * Publishes the outcome where there is an application to report on; keeps the event as a dead
   * letter when a dependency kept failing, for replay once it is back.
   */
  private CompletionStage<Void> report(
      SourcesEvent event,
      String eventType,
      Caller caller,
      Optional<Long> applicationId,
      Decision decision,
      long started) {
    Duration took = log(eventType, caller, applicationId.orElse(null), decision, started);
    metrics.decided(decision.outcome(), took);
    CompletionStage<Void> reported =
        applicationId
            .map(id -> status.publish(caller.tenant(), id, decision.outcome()))
            .orElseGet(() -> CompletableFuture.completedFuture(null));
    if (decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE && event != null) {
      metrics.deadLettered(FlowMetrics.DeadLetterKind.RETRY_BUDGET_SPENT);
      return reported.thenCompose(
          published -> deadLetters.send(event, "retry budget spent: " + decision.detail()));
    }
    return reported;
  }

  /** The tenant of the event, or a dead letter when there is none or the body is unreadable. */
  private CompletionStage<Void> forTenant(SourcesEvent event, EventHandler handler) {
    long started = System.nanoTime();
    Map<String, String> headers = event.headerValues();
    Optional<Tenant> tenant = TenantResolver.resolve(headers);
    if (tenant.isEmpty()) {
      return unreportable(
          event, "no tenant: no x-rh-sources-org-id and no org_id in x-rh-identity");
    }
    try {
      return handler.handle(event, Caller.of(tenant.get(), headers), started);
    } catch (MalformedEvent malformed) {
      return unreportable(
          event, "malformed " + event.eventType().orElse("") + ": " + malformed.getMessage());
    }
  }

  /** The result of a concurrent read, its failure rethrown as the read threw it. */
  private static <T> T join(CompletableFuture<T> read) {
    try {
      return read.join();
    } catch (CompletionException failed) {
      throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
    }
  }

  private static RoleArn roleArnOf(Authentication authentication) {
    if (!Authentication.CLOUD_METER_ARN.equals(authentication.authtype())) {
      throw new Rejection(
          Outcome.UNSUPPORTED_AUTHTYPE, "unsupported authtype " + authentication.authtype());
    }
    if (!Authentication.APPLICATION_RESOURCE.equals(authentication.resourceType())) {
      throw new Rejection(
          Outcome.WRONG_RESOURCE_TYPE, "resource type " + authentication.resourceType());
    }
    return RoleArn.parse(
        authentication
            .arn()
            .orElseThrow(() -> new Rejection(Outcome.NO_ARN, "neither username nor password")));
  }

  private CompletionStage<Void> unreportable(SourcesEvent event, String reason) {
    metrics.decided(Outcome.UNREPORTABLE, Duration.ZERO);
    metrics.deadLettered(FlowMetrics.DeadLetterKind.UNREPORTABLE);
    OutcomeLog.write(
        Level.WARNING,
        fields(
            "outcome", Outcome.UNREPORTABLE.label(),
            "event", event.coordinates(),
            "event_type", event.eventType().orElse(null),
            "detail", reason));
    return deadLetters.send(event, reason);
  }

  private static Duration log(
      String eventType, Caller caller, Long applicationId, Decision decision, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    OutcomeLog.write(
        decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE ? Level.WARNING : Level.INFO,
        fields(
            "outcome", decision.outcome().label(),
            "org_id", caller.orgId(),
            "source_id", decision.sourceId(),
            "application_id", applicationId == null ? null : Long.toString(applicationId),
            "event_type", eventType,
            "duration_ms", Long.toString(took.toMillis()),
            "request_id", caller.requestId(),
            "detail", decision.detail()));
    return took;
  }

  /** Name-value pairs in order; a null value is left out of the line. */
  private static Map<String, String> fields(String... namesAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }

  /** A failure as our logs show it: its kind and message, never a stack of a customer's error. */
  private static String describe(RuntimeException failure) {
    return failure instanceof Rejection
        ? failure.getMessage()
        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  /** How one event type is handled for a known tenant. */
  @FunctionalInterface
  private interface EventHandler {
    CompletionStage<Void> handle(SourcesEvent event, Caller caller, long started);
  }

  /** How a verified role changes RHSM's trust for the source. */
  @FunctionalInterface
  private interface TrustChange {
    void apply(Caller caller, String awsAccountId, String sourceId);
  }

  private record Decision(Outcome outcome, String sourceId, String detail) {
    /** Unavailable for a reason the customer must fix, not because a dependency is down. */
    boolean customerMustAct() {
      return outcome != Outcome.TEMPORARILY_IMPOSSIBLE
          && outcome.availability().filter(Availability.UNAVAILABLE::equals).isPresent();
    }
  }
}
