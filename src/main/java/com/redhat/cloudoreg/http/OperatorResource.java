package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.events.EventBodies;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.json.JsonText;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Availability;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.reconcile.Reconciler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's tools, on the private port with a pre-shared key ({@link Doors}: the filter bound
 * to {@link OperatorKey}, and each method's own check): what cloudoreg would decide for a role (no
 * RHSM change, no status), a source checked again as Sources' availability check would, and the
 * settings it runs with, secrets redacted.
 */
@Path("/internal/v1/operator")
@OperatorKey
@ApplicationScoped
@Tag(name = "operator", description = "Operator tools (private port, pre-shared key)")
@SecurityRequirement(name = CloudoregApplication.PSK_SCHEME)
public class OperatorResource {
  private static final String WHAT = "operator_recheck";

  private final StsVerifier verifier;
  private final SourceChecks checks;
  private final Reconciler reconciler;
  private final Config config;
  private final Doors doors;
  private final boolean shadow;

  @Inject
  public OperatorResource(
      StsVerifier verifier, SourceChecks checks, Reconciler reconciler, Config config) {
    this.verifier = verifier;
    this.checks = checks;
    this.reconciler = reconciler;
    this.config = config;
    this.doors = config == null ? null : Doors.configured();
    this.shadow =
        config != null
            && Mode.of(config.getOptionalValue(Mode.PROPERTY, String.class).orElse("")).isShadow();
  }

  protected OperatorResource() {
    this(null, null, null, null);
  }

  @POST
  @Path("/verify-role")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "What cloudoreg would decide for one role",
      description =
          "Parses the ARN and assumes the role with STS as the flow does; changes nothing at RHSM"
              + " and publishes no status.")
  @RequestBody(description = "{\"arn\":\"arn:aws:iam::123456789012:role/x\",\"external_id\":\"…\"}")
  @APIResponse(
      responseCode = "200",
      description = "{\"outcome\":\"TRUSTED|CGxxxx\",\"status\":\"available|unavailable\",…}")
  @APIResponse(responseCode = "400", description = "No arn in the body")
  @APIResponse(responseCode = "401", description = "No valid pre-shared key")
  public Response verifyRole(String body, @Context HttpServletRequest servletRequest) {
    Optional<Response> refused = refused(servletRequest);
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<JsonObject> request = object(body);
    Optional<String> arn = request.flatMap(r -> text(r, "arn"));
    if (arn.isEmpty()) {
      return Doors.error(
          Response.Status.BAD_REQUEST, "expected {\"arn\":\"…\",\"external_id\":\"…\"}");
    }
    Optional<String> externalId = request.flatMap(r -> text(r, "external_id"));
    Outcome outcome;
    String detail;
    try {
      verifier.verify(RoleArn.parse(arn.get()), externalId, false);
      outcome = Outcome.TRUSTED;
      detail = "role assumed; its identity matches the ARN";
    } catch (RuntimeException failure) {
      outcome = Outcomes.of(failure);
      detail = Outcomes.describe(failure);
    }
    JsonObjectBuilder answer =
        Json.createObjectBuilder()
            .add("arn", arn.get())
            .add("outcome", outcome.label())
            .add("status", outcome.availability().map(Availability::wireValue).orElse("none"))
            .add("error", outcome.error())
            .add("detail", detail);
    return Response.ok(answer.build()).build();
  }

  @POST
  @Path("/recheck")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Check one source again",
      description =
          "Does what Sources' availability check does: verifies each Cloud Meter application of"
              + " the source, makes sure of its trust at RHSM, publishes its status.")
  @RequestBody(description = "{\"org_id\":\"7654321\",\"source_id\":\"55\"}")
  @APIResponse(responseCode = "202", description = "Accepted; statuses follow on Kafka")
  @APIResponse(responseCode = "400", description = "No org id or no decimal source id")
  @APIResponse(responseCode = "401", description = "No valid pre-shared key")
  @APIResponse(responseCode = "429", description = "Too many checks waiting")
  public Response recheck(
      String body, @Context HttpHeaders httpHeaders, @Context HttpServletRequest servletRequest) {
    Optional<Response> refused = refused(servletRequest);
    if (refused.isPresent()) {
      return refused.get();
    }
    String orgId;
    long sourceId;
    try {
      JsonObject request = EventBodies.object(body);
      sourceId = EventBodies.id(request, "source_id");
      orgId = text(request, "org_id").orElseThrow(() -> new MalformedEvent("no org_id"));
    } catch (MalformedEvent malformed) {
      return Doors.error(
          Response.Status.BAD_REQUEST,
          "expected {\"org_id\":\"…\",\"source_id\":\"<id>\"}: " + malformed.getMessage());
    }
    Map<String, String> headers =
        Optional.ofNullable(httpHeaders.getHeaderString(Caller.REQUEST_ID_HEADER))
            .map(id -> Map.of(Caller.REQUEST_ID_HEADER, id))
            .orElse(Map.of());
    Caller caller = Caller.of(new Tenant(orgId, Optional.empty()), headers);
    Optional<String> tooMany = checks.submit(WHAT, caller, sourceId);
    if (tooMany.isPresent()) {
      return Doors.error(Response.Status.TOO_MANY_REQUESTS, tooMany.get());
    }
    return Response.accepted(
            Json.createObjectBuilder()
                .add("org_id", orgId)
                .add("source_id", Long.toString(sourceId))
                .add("request_id", caller.requestId())
                .build())
        .build();
  }

  @POST
  @Path("/reconcile")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Reconcile one org now",
      description =
          "Removes the org's trust whose source Sources no longer has (in shadow mode: only"
              + " says what it would remove). Answers once the org is checked; the removals are"
              + " durable and may finish later.")
  @RequestBody(description = "{\"org_id\":\"7654321\"}")
  @APIResponse(
      responseCode = "200",
      description = "{\"org_id\":\"…\",\"orphans\":[\"55\"],\"sources_unread\":0,…}")
  @APIResponse(responseCode = "400", description = "No org id")
  @APIResponse(responseCode = "503", description = "RHSM did not answer for the org")
  @APIResponse(responseCode = "401", description = "No valid pre-shared key")
  public Response reconcile(String body, @Context HttpServletRequest servletRequest) {
    Optional<Response> refused = refused(servletRequest);
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<String> orgId = object(body).flatMap(request -> text(request, "org_id"));
    if (orgId.isEmpty()) {
      return Doors.error(Response.Status.BAD_REQUEST, "expected {\"org_id\":\"…\"}");
    }
    // no list read: every source RHSM ties the org's trust to is asked about
    Reconciler.OrgChecked checked = reconciler.reconcileOrg(orgId.get(), listed -> false);
    if (!checked.trustRead()) {
      // not "no orphans": nothing was checked
      return Doors.error(
          Response.Status.SERVICE_UNAVAILABLE,
          "RHSM did not answer for the org: nothing was checked; try again later");
    }
    var orphans = Json.createArrayBuilder();
    checked.orphans().forEach(orphans::add);
    return Response.ok(
            Json.createObjectBuilder()
                .add("org_id", orgId.get())
                .add("orphans", orphans)
                .add("sources_unread", checked.sourcesUnread())
                .add("mode", shadow ? "shadow" : "live")
                .build())
        .build();
  }

  @GET
  @Path("/config")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The settings cloudoreg runs with",
      description =
          "Ours and the wiring that refers to them; any whose name says PSK, SECRET, PASSWORD,"
              + " KEY, TOKEN (or JAAS, CREDENTIAL) shows <redacted>.")
  @APIResponse(responseCode = "200", description = "{\"NAME\":\"value\",…}")
  @APIResponse(responseCode = "401", description = "No valid pre-shared key")
  public Response configuration(@Context HttpServletRequest servletRequest) {
    Optional<Response> refused = refused(servletRequest);
    if (refused.isPresent()) {
      return refused.get();
    }
    JsonObjectBuilder answer = Json.createObjectBuilder();
    EffectiveConfiguration.of(
            config.getPropertyNames(), name -> config.getOptionalValue(name, String.class))
        .forEach(answer::add);
    return Response.ok(answer.build()).build();
  }

  /** The second lock, independent of the filter's: this resource refuses itself. */
  private Optional<Response> refused(HttpServletRequest request) {
    return doors.operator(request.getLocalPort(), request.getHeader(PreSharedKeys.HEADER));
  }

  private static Optional<JsonObject> object(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    return JsonText.object(body);
  }

  private static Optional<String> text(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value instanceof JsonString string && !string.getString().isBlank()
        ? Optional.of(string.getString().trim())
        : Optional.empty();
  }
}
