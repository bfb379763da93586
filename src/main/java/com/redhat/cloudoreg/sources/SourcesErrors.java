package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.ErrorBody;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Reads Sources' error statuses as the kinds of failure the flow tells apart: every status of 400
 * and above, never null, since the Rest Client's default mapper is off (microprofile-config
 * .properties) and nothing stands behind this one. A 429, or a 503 with {@code Retry-After}, keeps
 * the wait Sources asked for ({@link Throttled}). A 404 is Sources' "not in this tenant" only with
 * its own error body ({@link ErrorBody}).
 */
public class SourcesErrors implements ResponseExceptionMapper<RuntimeException> {
  private static final Duration IN_PLACE = Duration.ofMillis(Policy.PEER_RETRY_IN_PLACE_MS);

  private final Clock clock;

  /** The Rest Client's: on the system clock. */
  public SourcesErrors() {
    this(Clock.systemUTC());
  }

  /** On {@code clock}, which turns a {@code Retry-After} date into a wait. */
  public SourcesErrors(Clock clock) {
    this.clock = clock;
  }

  /** Sources' own "not in this tenant": its error body, {@code {"errors":[{"status":"404",…}]}}. */
  private static boolean isSourcesNotFound(JsonObject body) {
    return body.get("errors") instanceof JsonArray errors
        && !errors.isEmpty()
        && errors.get(0) instanceof JsonObject first
        && "404".equals(first.getString("status", ""));
  }

  @Override
  public RuntimeException toThrowable(Response response) {
    int status = response.getStatus();
    if (status == 404) {
      return ErrorBody.of(response).filter(SourcesErrors::isSourcesNotFound).isPresent()
          ? new SourcesNotFound()
          : ErrorBody.notItsOwnNotFound("Sources");
    }
    if (status == 401 || status == 403) {
      return new OwnCredentialsRejected("Sources refused our pre-shared key (HTTP " + status + ")");
    }
    if (status >= 500 || status == 429) {
      return Throttled.of(
          "Sources answered HTTP " + status,
          status,
          response.getHeaderString(HttpHeaders.RETRY_AFTER),
          IN_PLACE,
          clock);
    }
    return new UnexpectedAnswer("Sources answered HTTP " + status);
  }
}
