package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.events.EventBodies;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Sources' availability check of a source: {@code POST} with {@code {"source_id":"55"}} and the
 * tenant headers, on the path Sources calls today ({@code
 * /internal/api/cloudigrade/v1/availability_status}, so that the switch-over changes only host and
 * port) and on ours ({@code /internal/v1/availability_status}), on the private port only (see
 * {@link Doors}: the filter bound to {@link PrivatePort}, and this resource's own check). Sources
 * sends no key of ours, so the caller must at least be a well-formed identity of the tenant it
 * names. Answers 202 at once, well within Sources' 10 s; the source's Cloud Meter applications are
 * then verified in that tenant's order and their statuses published ({@link SourceChecks}).
 */
@Path("/internal")
@PrivatePort
@ApplicationScoped
@Tag(name = "availability", description = "Sources' availability check (private port)")
public class AvailabilityCheckResource {
  private static final String WHAT = "availability_check";

  /** A check is {"source_id":"55"}: a body past this is no check, and is read no further. */
  static final int MAX_BODY_BYTES = 4096;

  private final SourceChecks checks;
  private final Doors doors;

  @Inject
  public AvailabilityCheckResource(SourceChecks checks) {
    this.checks = checks;
    this.doors = checks == null ? null : Doors.configured();
  }

  protected AvailabilityCheckResource() {
    this(null);
  }

  @POST
  @Path("/api/cloudigrade/v1/availability_status")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Availability check on the path Sources calls today (cloudigrade's)",
      description = "The same as /internal/v1/availability_status.")
  @RequestBody(description = "{\"source_id\":\"55\"}")
  @APIResponse(responseCode = "202", description = "Accepted; statuses follow on Kafka")
  @APIResponse(responseCode = "400", description = "No source id, or no well-formed identity")
  @APIResponse(responseCode = "403", description = "The identity's org is not the tenant named")
  @APIResponse(responseCode = "413", description = "A body larger than any check")
  @APIResponse(responseCode = "429", description = "Too many checks waiting")
  public Response checkOnSourcesPath(
      InputStream body, @Context HttpHeaders httpHeaders, @Context HttpServletRequest request) {
    return check(body, httpHeaders, request);
  }

  @POST
  @Path("/v1/availability_status")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Availability check of a source",
      description =
          "Headers x-rh-identity (base64 JSON with identity.org_id) and x-rh-sources-org-id (the"
              + " same org). Each Cloud Meter application of the source is verified and its"
              + " status published.")
  @RequestBody(description = "{\"source_id\":\"55\"}")
  @APIResponse(responseCode = "202", description = "Accepted; statuses follow on Kafka")
  @APIResponse(responseCode = "400", description = "No source id, or no well-formed identity")
  @APIResponse(responseCode = "403", description = "The identity's org is not the tenant named")
  @APIResponse(responseCode = "413", description = "A body larger than any check")
  @APIResponse(responseCode = "429", description = "Too many checks waiting")
  public Response check(
      InputStream body, @Context HttpHeaders httpHeaders, @Context HttpServletRequest request) {
    Optional<Response> refused = doors.privatePort(request.getLocalPort());
    if (refused.isPresent()) {
      return refused.get();
    }
    Map<String, String> headers = new HashMap<>();
    httpHeaders
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1)));
    Optional<String> identityOrg = TenantResolver.identityOrgId(headers);
    if (identityOrg.isEmpty()) {
      return Doors.error(
          Response.Status.BAD_REQUEST, "send an x-rh-identity: base64 JSON with identity.org_id");
    }
    Optional<Tenant> tenant = TenantResolver.resolve(headers);
    if (tenant.isEmpty() || !tenant.get().orgId().equals(identityOrg.get())) {
      return Doors.error(
          Response.Status.FORBIDDEN, "x-rh-identity's org_id is not x-rh-sources-org-id");
    }
    // the body read only now, from a caller that named its tenant, and never more than a check
    byte[] read;
    try {
      read = body.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException unreadable) {
      return Doors.error(Response.Status.BAD_REQUEST, "the body could not be read");
    }
    if (read.length > MAX_BODY_BYTES) {
      return Doors.error(
          Response.Status.REQUEST_ENTITY_TOO_LARGE,
          "expected {\"source_id\":\"<id>\"}, at most " + MAX_BODY_BYTES + " bytes");
    }
    long sourceId;
    try {
      sourceId =
          EventBodies.id(EventBodies.object(new String(read, StandardCharsets.UTF_8)), "source_id");
    } catch (MalformedEvent malformed) {
      return Doors.error(
          Response.Status.BAD_REQUEST,
          "expected {\"source_id\":\"<id>\"}: " + malformed.getMessage());
    }
    Caller caller = Caller.of(tenant.get(), headers);
    Optional<String> tooMany = checks.submit(WHAT, caller, sourceId);
    if (tooMany.isPresent()) {
      return Doors.error(Response.Status.TOO_MANY_REQUESTS, tooMany.get());
    }
    return Response.accepted(
            Json.createObjectBuilder()
                .add("source_id", Long.toString(sourceId))
                .add("request_id", caller.requestId())
                .build())
        .build();
  }
}
