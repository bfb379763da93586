package com.redhat.cloudoreg.events;

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

/** The operator's replay: {@code POST /internal/v1/dead-letters/replay?limit=N}. */
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
  public JsonObject replay(@QueryParam("limit") @DefaultValue("1000") int limit) {
    return Json.createObjectBuilder().add("replayed", replay.replay(limit)).build();
  }
}
