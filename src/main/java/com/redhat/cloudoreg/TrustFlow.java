package com.redhat.cloudoreg;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.events.ApplicationAuthenticationCreate;
import com.redhat.cloudoreg.events.DeadLetters;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.events.SourcesEvent;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;

/**
 * The whole of cloudoreg in one place: a Sources event in, the tenant, the application and its
 * authentication from Sources, the role ARN checked, verified with STS, trust registered at RHSM,
 * the outcome out to Sources. Every path ends in a completed stage; the stage fails only when Kafka
 * did not take what we had to say, and then the event must not be acknowledged.
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
    String eventType = type.get();
    if (!ApplicationAuthenticationCreate.TYPE.equals(eventType)) {
      return CompletableFuture.completedFuture(null);
    }
    long started = System.nanoTime();
    Map<String, String> headers = event.headerValues();
    Optional<Tenant> tenant = TenantResolver.resolve(headers);
    if (tenant.isEmpty()) {
      return unreportable(
          event, "no tenant: no x-rh-sources-org-id and no org_id in x-rh-identity");
    }
    ApplicationAuthenticationCreate created;
    try {
      created = ApplicationAuthenticationCreate.parse(event.body());
    } catch (MalformedEvent malformed) {
      return unreportable(event, "malformed " + eventType + ": " + malformed.getMessage());
    }
    Caller caller = Caller.of(tenant.get(), headers);
    Decision decision = decide(caller, created);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    metrics.decided(decision.outcome(), took);
    log(eventType, caller, created, decision, took);
    CompletionStage<Void> reported =
        status.publish(tenant.get(), created.applicationId(), decision.outcome());
    if (decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE) {
      // kept for replay once the dependency is back
      metrics.deadLettered(FlowMetrics.DeadLetterKind.RETRY_BUDGET_SPENT);
      return reported.thenCompose(
          published -> deadLetters.send(event, "retry budget spent: " + decision.detail()));
    }
    return reported;
  }

  private Decision decide(Caller caller, ApplicationAuthenticationCreate created) {
    String sourceId = null;
    try {
      // both reads at once: they are independent, and most events are Cloud Meter's
      CompletableFuture<Optional<Authentication>> authenticationRead =
          CompletableFuture.supplyAsync(
              () -> sources.authentication(caller, created.authenticationId()), executor);
      Optional<Application> application = sources.application(caller, created.applicationId());
      if (application.isEmpty()) {
        return new Decision(Outcome.APPLICATION_GONE, null, "application not found in Sources");
      }
      sourceId = application.get().sourceId();
      if (!cloudMeter.isCloudMeter(application.get())) {
        return new Decision(Outcome.NOT_OURS, sourceId, "not a Cloud Meter application");
      }
      Authentication authentication =
          join(authenticationRead)
              .orElseThrow(
                  () ->
                      new Rejection(
                          Outcome.AUTHENTICATION_MISSING, "authentication not found in Sources"));
      RoleArn role = roleArnOf(authentication);
      sts.verify(role, authentication.externalId());
      trust.establish(caller, role.accountId(), sourceId);
      return new Decision(Outcome.TRUSTED, sourceId, "trusted account " + role.accountId());
    } catch (RuntimeException failure) {
      return new Decision(Outcomes.of(failure), sourceId, describe(failure));
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

  private static void log(
      String eventType,
      Caller caller,
      ApplicationAuthenticationCreate created,
      Decision decision,
      Duration took) {
    OutcomeLog.write(
        decision.outcome() == Outcome.TEMPORARILY_IMPOSSIBLE ? Level.WARNING : Level.INFO,
        fields(
            "outcome", decision.outcome().label(),
            "org_id", caller.orgId(),
            "source_id", decision.sourceId(),
            "application_id", Long.toString(created.applicationId()),
            "event_type", eventType,
            "duration_ms", Long.toString(took.toMillis()),
            "request_id", caller.requestId(),
            "detail", decision.detail()));
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

  private record Decision(Outcome outcome, String sourceId, String detail) {}
}
