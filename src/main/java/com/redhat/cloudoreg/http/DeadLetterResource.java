package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.deadletters.DeadLetterReplay;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The operator's replay: {@code POST /internal/v1/dead-letters/replay}, optionally {@code
 * ?since=2026-11-26T01:00:00Z} and {@code &limit=N}. Answers {@code {"replayed":n}}.
 */
@Path("/internal/v1/dead-letters")
@RequestScoped
public class DeadLetterResource {
  private final DeadLetterReplay replay;

  @Inject
  public DeadLetterResource(DeadLetterReplay replay) {
    this.replay = replay;
  }

  protected DeadLetterResource() {
    this(null);
  }

  @POST
  @Path("/replay")
  @Produces(MediaType.APPLICATION_JSON)
  public Response replay(
      @QueryParam("since") String since, @QueryParam("limit") @DefaultValue("1000") int limit) {
    Optional<Instant> from;
    try {
      from = Optional.ofNullable(since).map(Instant::parse);
    } catch (DateTimeParseException notAnInstant) {
      return badRequest("since must be an ISO-8601 instant such as 2026-11-26T01:00:00Z");
    }
    if (limit < 1 || limit > DeadLetterReplay.MAX_LIMIT) {
      return badRequest("limit must be 1 to " + DeadLetterReplay.MAX_LIMIT);
    }
    JsonObject body =
        Json.createObjectBuilder().add("replayed", replay.replay(from, limit)).build();
    return Response.ok(body).build();
  }

  private static Response badRequest(String error) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.createObjectBuilder().add("error", error).build())
        .build();
  }
}
