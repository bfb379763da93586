package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.events.Attempts;
import com.redhat.cloudoreg.events.EventBodies;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.events.TenantLanes;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.flow.TrustFlow.CheckedApplication;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.report.OutcomeReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sources' availability check of a source: {@code POST} with {@code {"source_id":"55"}} and the
 * tenant headers, on the path Sources calls today ({@code
 * /internal/api/cloudigrade/v1/availability_status}, so that the switch-over changes only host and
 * port) and on ours ({@code /internal/v1/availability_status}). Answers 202 at once, well within
 * Sources' 10 s; the source's Cloud Meter applications are then verified in that tenant's order and
 * their statuses published. A check never publishes an {@code unavailable} that is ours (a
 * dependency down, a type unknown): Sources checks again soon.
 */
@Path("/internal")
@ApplicationScoped
public class AvailabilityCheckResource {
  private static final Logger LOG = Logger.getLogger(AvailabilityCheckResource.class.getName());
  private static final String WHAT = "availability_check";

  private final TrustFlow flow;
  private final TenantLanes lanes;
  private final Attempts attempts;
  private final OutcomeReporter reporter;
  private final FlowMetrics metrics;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  @Inject
  public AvailabilityCheckResource(
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

  protected AvailabilityCheckResource() {
    this(null, null, null, null, null, 0);
  }

  @POST
  @Path("/api/cloudigrade/v1/availability_status")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response checkOnSourcesPath(String body, @Context HttpHeaders httpHeaders) {
    return check(body, httpHeaders);
  }

  @POST
  @Path("/v1/availability_status")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response check(String body, @Context HttpHeaders httpHeaders) {
    Map<String, String> headers = new HashMap<>();
    httpHeaders
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1)));
    Optional<Tenant> tenant = TenantResolver.resolve(headers);
    if (tenant.isEmpty()) {
      return answer(
          Response.Status.BAD_REQUEST,
          "no tenant: send x-rh-sources-org-id or an x-rh-identity with org_id");
    }
    long sourceId;
    try {
      sourceId = EventBodies.id(EventBodies.object(body), "source_id");
    } catch (MalformedEvent malformed) {
      return answer(
          Response.Status.BAD_REQUEST,
          "expected {\"source_id\":\"<id>\"}: " + malformed.getMessage());
    }
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return answer(Response.Status.TOO_MANY_REQUESTS, "too many checks waiting; try again later");
    }
    Caller caller = Caller.of(tenant.get(), headers);
    lanes
        .submit(
            TenantLanes.ofTenant(caller.orgId()),
            () -> attempts.once(() -> checkSource(caller, sourceId)))
        .whenComplete((checked, failure) -> waiting.decrementAndGet());
    return Response.accepted(
            Json.createObjectBuilder()
                .add("source_id", Long.toString(sourceId))
                .add("request_id", caller.requestId())
                .build())
        .build();
  }

  private CompletionStage<Void> checkSource(Caller caller, long sourceId) {
    long started = System.nanoTime();
    List<CheckedApplication> checked = flow.checkSource(caller, sourceId);
    return CompletableFuture.allOf(
        checked.stream()
            .map(application -> report(caller, application, started).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  /** Reported on the application unless the reason is ours; a lost status is logged, counted. */
  private CompletionStage<Void> report(Caller caller, CheckedApplication checked, long started) {
    Outcome outcome = checked.decision().outcome();
    boolean ours = outcome == Outcome.TEMPORARILY_IMPOSSIBLE || outcome == Outcome.TYPE_UNKNOWN;
    return reporter
        .report(
            WHAT,
            caller,
            ours ? Optional.empty() : checked.applicationId(),
            checked.decision(),
            started)
        .exceptionally(
            undelivered -> {
              metrics.statusUndelivered();
              LOG.log(
                  Level.WARNING,
                  "Status of application {0} after an availability check not delivered: {1}",
                  new Object[] {checked.applicationId().orElse(null), undelivered.toString()});
              return null;
            });
  }

  private static Response answer(Response.Status status, String error) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.createObjectBuilder().add("error", error).build())
        .build();
  }
}
