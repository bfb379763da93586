package com.redhat.cloudoreg.policy;

import com.redhat.cloudoreg.json.JsonText;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * A peer's error answer as JSON, where it is one: what tells the peer's own "not found" (its error
 * body) from a 404 of a path it does not route, a proxy's page or an empty answer, which say
 * nothing of the resource and must never read as "gone" (an event dropped, trust removed, a removal
 * taken as confirmed).
 */
public final class ErrorBody {
  private ErrorBody() {}

  /** The answer's body as a JSON object; empty without one, or when it is no JSON object. */
  public static Optional<JsonObject> of(Response response) {
    if (!response.hasEntity()) {
      return Optional.empty();
    }
    String body;
    try {
      body = response.readEntity(String.class);
    } catch (IllegalStateException | ProcessingException unreadable) {
      return Optional.empty();
    }
    return JsonText.object(body);
  }

  /** A 404 without the peer's own error body: unexpected, never "not there". */
  public static UnexpectedAnswer notItsOwnNotFound(String peer) {
    return new UnexpectedAnswer(
        peer
            + " answered HTTP 404 without its error body: a route that is not there (the URL?),"
            + " not a resource that is gone");
  }
}
