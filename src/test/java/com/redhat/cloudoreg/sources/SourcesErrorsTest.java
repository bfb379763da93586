package com.redhat.cloudoreg.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only Sources' own 404 (its error body) says a resource is not in the tenant; a 404 of a path
 * Sources does not route, a proxy's, or one without a body is an answer we did not expect — never
 * "gone", which would drop an event or remove trust.
 */
class SourcesErrorsTest {
  private final SourcesErrors errors = new SourcesErrors();

  @Test
  void sourcesOwnNotFoundIsNotFound() {
    Response sources =
        Response.status(404)
            .entity("{\"errors\":[{\"detail\":\"application not found\",\"status\":\"404\"}]}")
            .build();

    assertThat(errors.toThrowable(sources)).isInstanceOf(SourcesNotFound.class);
  }

  @Test
  void anyOther404IsUnexpectedNeverNotFound() {
    for (Response other :
        List.of(
            Response.status(404).entity("{\"message\":\"Not Found\"}").build(),
            Response.status(404).entity("<html><body>404</body></html>").build(),
            Response.status(404).entity("{\"errors\":[]}").build(),
            Response.status(404).entity("{\"errors\":[{\"status\":\"500\"}]}").build(),
            Response.status(404).build())) {
      assertThat(errors.toThrowable(other)).isInstanceOf(UnexpectedAnswer.class);
    }
  }
}
