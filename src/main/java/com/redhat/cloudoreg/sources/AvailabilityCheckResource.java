package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.TrustFlow;
import com.redhat.cloudoreg.events.EventBodies;
import com.redhat.cloudoreg.events.MalformedEvent;
import com.redhat.cloudoreg.events.TenantLanes;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.identity.TenantResolver;
import jakarta.enterprise.context.RequestScoped;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sources' availability check of a source ({@code POST /internal/v1/availability_status} with
 * {@code {"source_id":"55"}} and the tenant headers). Answers 202 at once, well within Sources' 10
 * s timeout; the source's Cloud Meter applications are then verified in that tenant's order and
 * their statuses published to Sources' status topic.
 */
@Path("/internal/v1/availability_status")
@RequestScoped
public class AvailabilityCheckResource {
  private final TrustFlow flow;
  private final TenantLanes lanes;

  @Inject
  public AvailabilityCheckResource(TrustFlow flow, TenantLanes lanes) {
    this.flow = flow;
    this.lanes = lanes;
  }

  protected AvailabilityCheckResource() {
    this(null, null);
  }

  @POST
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
      return badRequest("no tenant: send x-rh-sources-org-id or an x-rh-identity with org_id");
    }
    long sourceId;
    try {
      sourceId = EventBodies.id(EventBodies.object(body), "source_id");
    } catch (MalformedEvent malformed) {
      return badRequest("expected {\"source_id\":\"<id>\"}: " + malformed.getMessage());
    }
    Caller caller = Caller.of(tenant.get(), headers);
    lanes.submit(
        TenantLanes.ofTenant(caller.orgId()), () -> flow.checkAvailability(caller, sourceId));
    return Response.accepted(
            Json.createObjectBuilder()
                .add("source_id", Long.toString(sourceId))
                .add("request_id", caller.requestId())
                .build())
        .build();
  }

  private static Response badRequest(String error) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.createObjectBuilder().add("error", error).build())
        .build();
  }
}
