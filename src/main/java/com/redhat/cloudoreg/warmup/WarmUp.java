package com.redhat.cloudoreg.warmup;

import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.aws.StsWarmUp;
import com.redhat.cloudoreg.azure.AzureVerification;
import com.redhat.cloudoreg.azure.DelegationRemoval;
import com.redhat.cloudoreg.events.ApplicationAuthenticationCreate;
import com.redhat.cloudoreg.events.Attempts;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.events.WarmUpGate;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Availability;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.rhsm.EnabledProviders;
import com.redhat.cloudoreg.rhsm.ProviderAccount;
import com.redhat.cloudoreg.rhsm.RhsmGateway;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.SourcesGateway;
import com.redhat.cloudoreg.status.StatusMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Does, once at start and beside the rest of it ({@link WarmUpAtDeployment}), what the first event
 * would otherwise pay for, so that ready means ready: the clients built (STS, Sources' and RHSM's
 * REST clients with their TLS), the Cloud Meter type looked up at Sources (a real read, which every
 * event needs), one verification run through the AWS SDK against an in-memory STS, the JSON of
 * events, Sources' and RHSM's answers and statuses bound once, the flow's metric series created,
 * and one empty attempt through the retry policy of events. Nothing is written anywhere. Events
 * wait for it ({@link WarmUpGate}), and so does readiness ({@link WarmUpReadinessCheck}); it
 * finishes whether or not a peer answered (waiting at most {@link #PEER_WAIT} for Sources), and is
 * never undone, so a peer's state cannot make readiness flap through it.
 */
@ApplicationScoped
public class WarmUp {
  static final Duration PEER_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

  private final CloudMeterType cloudMeter;
  private final SourcesGateway sources;
  private final RhsmGateway rhsm;
  private final StsVerifier verifier;
  private final StsClient sts;
  private final Executor executor;
  private final WarmUpGate gate;
  private final Attempts attempts;
  private final FlowMetrics metrics;
  private final String region;
  private volatile String result;

  @Inject
  public WarmUp(
      CloudMeterType cloudMeter,
      SourcesGateway sources,
      RhsmGateway rhsm,
      StsVerifier verifier,
      StsClient sts,
      Executor executor,
      WarmUpGate gate,
      Attempts attempts,
      FlowMetrics metrics,
      @ConfigProperty(name = "AWS_REGION", defaultValue = "us-east-1") String region) {
    this.cloudMeter = cloudMeter;
    this.sources = sources;
    this.rhsm = rhsm;
    this.verifier = verifier;
    this.sts = sts;
    this.executor = executor;
    this.gate = gate;
    this.attempts = attempts;
    this.metrics = metrics;
    this.region = region;
  }

  protected WarmUp() {
    this(null, null, null, null, null, null, null, null, null, null);
  }

  /** Runs the warm-up on the flow's executor ({@link WarmUpAtDeployment} calls this once). */
  public void start() {
    executor.execute(this::run);
  }

  /** How it went, for the readiness check's data; null while running. */
  public String result() {
    return result;
  }

  void run() {
    long started = System.nanoTime();
    List<String> failed = new ArrayList<>();
    try {
      warm(failed);
    } catch (RuntimeException | Error unexpected) {
      failed.add("the rest (" + unexpected.getClass().getSimpleName() + ")");
      throw unexpected;
    } finally {
      // whatever went wrong, events flow and readiness says how it went: a warm-up that never
      // ended would hold every event, unnoticed by liveness (held events are not in flight)
      // (logged first: once readiness is UP, the line is there to be read)
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String how = failed.isEmpty() ? "complete" : "done without " + String.join(", ", failed);
      LOG.info("cloudoreg warm-up finished in " + took + " ms: " + how);
      result = how;
      gate.open();
    }
  }

  private void warm(List<String> failed) {
    CompletableFuture<Void> lookup = CompletableFuture.runAsync(cloudMeter::lookUp, executor);
    step("clients", failed, this::buildClients);
    step("sts-sdk", failed, () -> StsWarmUp.run(Region.of(region)));
    step("json", failed, WarmUp::bindJson);
    step(
        "metrics",
        failed,
        () -> {
          metrics.registerSeries(EventTypes.HANDLED);
          metrics.registerAzureDelegationRemovals(
              Arrays.stream(DelegationRemoval.values())
                  .filter(result -> result != DelegationRemoval.NOT_CONFIGURED)
                  .map(DelegationRemoval::label)
                  .toList());
          metrics.registerAzureVerifications(
              Arrays.stream(AzureVerification.values()).map(AzureVerification::label).toList());
          metrics.registerReconcileSkipped(List.of("org_unread"));
        });
    step("attempts", failed, this::attemptOnce);
    step(
        "application-type",
        failed,
        () -> {
          try {
            lookup.get(PEER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.TimeoutException slow) {
            throw new IllegalStateException("Sources did not answer within " + PEER_WAIT);
          } catch (java.util.concurrent.ExecutionException failure) {
            throw new IllegalStateException(failure.getCause().getClass().getSimpleName());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
          }
        });
  }

  /** The beans and clients an event goes through, created now rather than on the first event. */
  private void buildClients() {
    sts.serviceName();
    // a call on a normal-scoped bean's proxy creates the bean, and with it its REST client
    var created = List.of(sources.toString(), rhsm.toString(), verifier.toString());
    LOG.fine(() -> "warm-up created " + created.size() + " beans");
  }

  /**
   * One attempt that does nothing, through what every event's attempts go through (the in-flight
   * slots, the flow's executor, retried until settled): its classes and scheduling are set up now.
   */
  private void attemptOnce() throws Exception {
    attempts
        .untilSettled(() -> CompletableFuture.completedFuture(null))
        .toCompletableFuture()
        .get(PEER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Every JSON shape of a create's path, read or written once. */
  private static void bindJson() throws Exception {
    String identity =
        Base64.getEncoder()
            .encodeToString(
                "{\"identity\":{\"org_id\":\"warm-up\",\"account_number\":\"0\"}}"
                    .getBytes(StandardCharsets.UTF_8));
    TenantResolver.resolve(Map.of(TenantResolver.IDENTITY_HEADER, identity));
    ApplicationAuthenticationCreate.parse(
        "{\"id\":1,\"application_id\":1,\"authentication_id\":1,\"tenant\":\"0\"}");
    StatusMessage.of(1, Availability.AVAILABLE, Outcome.TRUSTED).toJson();
    try (Jsonb json = JsonbBuilder.create()) {
      json.fromJson(
          "{\"id\":\"1\",\"source_id\":\"1\",\"application_type_id\":\"1\"}", Application.class);
      json.fromJson(
          "{\"id\":\"1\",\"authtype\":\"cloud-meter-arn\",\"username\":\"arn\",\"password\":\"\","
              + "\"extra\":{\"external_id\":\"x\"},\"resource_type\":\"Application\","
              + "\"resource_id\":\"1\"}",
          Authentication.class);
      json.toJson(List.of(new ProviderAccount("123456789012", "warm-up", true, "1")));
      json.fromJson("{\"body\":[]}", EnabledProviders.class);
    }
  }

  private static void step(String name, List<String> failed, Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError failure) {
      failed.add(name);
      LOG.warning(
          "cloudoreg warm-up step " + name + " failed: " + failure.getClass().getSimpleName());
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }
}
