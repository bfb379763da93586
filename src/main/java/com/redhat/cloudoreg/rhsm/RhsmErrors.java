package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.ErrorBody;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Reads RHSM's error statuses: every status of 400 and above, never null, since the Rest Client's
 * default mapper is off (microprofile-config.properties) and nothing stands behind this one. RHSM's
 * document lists no status for its unique-constraint refusal; we read it as 409 unless {@code
 * RHSM_CONFLICT_STATUS} says otherwise. A 429, or a 503 with {@code Retry-After}, keeps the wait
 * RHSM asked for ({@link Throttled}). A 404 is RHSM's "not there" only with its own error body
 * ({@link ErrorBody}).
 */
public class RhsmErrors implements ResponseExceptionMapper<RuntimeException> {
  private static final Duration IN_PLACE = Duration.ofMillis(Policy.PEER_RETRY_IN_PLACE_MS);

  private final Clock clock;

  /** The Rest Client's: on the system clock. */
  public RhsmErrors() {
    this(Clock.systemUTC());
  }

  /** On {@code clock}, which turns a {@code Retry-After} date into a wait. */
  public RhsmErrors(Clock clock) {
    this.clock = clock;
  }

  /**
   * RHSM's own "not found": its error body, {@code {"error":{"code":404,"message":…}}} (the API
   * document's {@code NotFound}: an {@code error} object, whatever code it carries).
   */
  private static boolean isRhsmNotFound(JsonObject body) {
    return body.get("error") instanceof JsonObject;
  }

  @Override
  public RuntimeException toThrowable(Response response) {
    int status = response.getStatus();
    int conflict =
        ConfigProvider.getConfig()
            .getOptionalValue("RHSM_CONFLICT_STATUS", Integer.class)
            .orElse(409);
    if (status == conflict) {
      return new RhsmConflict();
    }
    if (status == 404) {
      return ErrorBody.of(response).filter(RhsmErrors::isRhsmNotFound).isPresent()
          ? new RhsmNotFound()
          : ErrorBody.notItsOwnNotFound("RHSM");
    }
    if (status == 400) {
      return new Rejection(Outcome.REGISTRATION_REFUSED, "RHSM answered HTTP 400");
    }
    if (status == 401 || status == 403) {
      return new OwnCredentialsRejected("RHSM refused our certificate (HTTP " + status + ")");
    }
    if (status >= 500 || status == 429) {
      return Throttled.of(
          "RHSM answered HTTP " + status,
          status,
          response.getHeaderString(HttpHeaders.RETRY_AFTER),
          IN_PLACE,
          clock);
    }
    return new UnexpectedAnswer("RHSM answered HTTP " + status);
  }
}
