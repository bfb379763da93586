package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.deadletters.DeadLetterReplay;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's replay (private port, pre-shared key): {@code POST
 * /internal/v1/dead-letters/replay}, optionally {@code ?since=2026-11-26T01:00:00Z} and {@code
 * &limit=N}. Answers {@code {"replayed":n}}.
 */
@Path("/internal/v1/dead-letters")
@OperatorKey
@RequestScoped
@Tag(name = "operator", description = "Operator tools (private port, pre-shared key)")
@SecurityRequirement(name = CloudoregApplication.PSK_SCHEME)
public class DeadLetterResource {
  private static final Logger LOG = Logger.getLogger(DeadLetterResource.class.getName());
  private static final String SINCE =
      "since must be an ISO-8601 instant from 1970 on, such as 2026-11-26T01:00:00Z";
  private static final Instant LAST_MILLISECOND = Instant.ofEpochMilli(Long.MAX_VALUE);

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
  @Operation(
      summary = "Replay dead letters",
      description =
          "Puts dead letters back on the event topic, from since (an ISO instant) or where the"
              + " last replay stopped, at most limit of them.")
  @APIResponse(responseCode = "200", description = "{\"replayed\":n}")
  @APIResponse(responseCode = "400", description = "since or limit unreadable")
  @APIResponse(responseCode = "401", description = "No valid pre-shared key")
  @APIResponse(
      responseCode = "503",
      description =
          "Kafka did not answer; the next replay begins where the last committed one ended")
  public Response replay(
      @QueryParam("since") String since,
      @Parameter(
              description = "at most this many letters",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "" + DeadLetterReplay.MAX_LIMIT,
                      defaultValue = "1000"))
          @QueryParam("limit")
          @DefaultValue("1000")
          String limitText,
      @Context HttpServletRequest caller) {
    // the second lock, independent of the filter's: this resource refuses itself
    Optional<Response> refused =
        Doors.configured().operator(caller.getLocalPort(), caller.getHeader(PreSharedKeys.HEADER));
    if (refused.isPresent()) {
      return refused.get();
    }
    Optional<Instant> from;
    try {
      from = Optional.ofNullable(since).map(Instant::parse);
    } catch (DateTimeParseException notAnInstant) {
      return Doors.error(Response.Status.BAD_REQUEST, SINCE);
    }
    // Kafka's timestamps are milliseconds from 1970 on: it refuses an earlier one, and a later one
    // past a long's milliseconds cannot be said
    if (from.filter(at -> at.isBefore(Instant.EPOCH) || at.isAfter(LAST_MILLISECOND)).isPresent()) {
      return Doors.error(Response.Status.BAD_REQUEST, SINCE);
    }
    // read here rather than as an int parameter: JAX-RS answers an unreadable one 404, which an
    // operator would take for a wrong path or port
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException notANumber) {
      limit = 0;
    }
    if (limit < 1 || limit > DeadLetterReplay.MAX_LIMIT) {
      return Doors.error(
          Response.Status.BAD_REQUEST, "limit must be 1 to " + DeadLetterReplay.MAX_LIMIT);
    }
    int replayed;
    try {
      replayed = replay.replay(from, limit);
    } catch (DeadLetterReplay.KafkaUnavailable unavailable) {
      LOG.log(Level.WARNING, "Dead-letter replay stopped: {0}", unavailable.getMessage());
      return Doors.error(Response.Status.SERVICE_UNAVAILABLE, unavailable.getMessage());
    }
    return Response.ok(Json.createObjectBuilder().add("replayed", replayed).build()).build();
  }
}
