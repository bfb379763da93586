package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Reads RHSM's error statuses: every status of 400 and above, never null, since the Rest Client's
 * default mapper is off (microprofile-config.properties) and nothing stands behind this one. RHSM's
 * document lists no status for its unique-constraint refusal; we read it as 409 unless {@code
 * RHSM_CONFLICT_STATUS} says otherwise.
 */
public class RhsmErrors implements ResponseExceptionMapper<RuntimeException> {
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
      return new RhsmNotFound();
    }
    if (status == 400) {
      return new Rejection(Outcome.REGISTRATION_REFUSED, "RHSM answered HTTP 400");
    }
    if (status == 401 || status == 403) {
      return new OwnCredentialsRejected("RHSM refused our certificate (HTTP " + status + ")");
    }
    if (status >= 500 || status == 429) {
      return new TransientFailure("RHSM answered HTTP " + status);
    }
    return new UnexpectedAnswer("RHSM answered HTTP " + status);
  }
}
