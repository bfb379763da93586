package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Reads Sources' error statuses as the kinds of failure the flow tells apart: every status of 400
 * and above, never null, since the Rest Client's default mapper is off (microprofile-config
 * .properties) and nothing stands behind this one.
 */
public class SourcesErrors implements ResponseExceptionMapper<RuntimeException> {
  @Override
  public RuntimeException toThrowable(Response response) {
    int status = response.getStatus();
    if (status == 404) {
      return new SourcesNotFound();
    }
    if (status == 401 || status == 403) {
      return new OwnCredentialsRejected("Sources refused our pre-shared key (HTTP " + status + ")");
    }
    if (status >= 500 || status == 429) {
      return new TransientFailure("Sources answered HTTP " + status);
    }
    return new UnexpectedAnswer("Sources answered HTTP " + status);
  }
}
