package com.redhat.cloudoreg.rhsm;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only RHSM's own 404 (its error body) says an account or a source's accounts are not there; any
 * other 404 is an answer we did not expect — never "already gone", which would take a removal for
 * confirmed, or "nothing enabled", which would read the org as holding nothing.
 */
class RhsmErrorsTest {
  private final RhsmErrors errors = new RhsmErrors();

  @Test
  void rhsmsOwnNotFoundIsNotFound() {
    Response rhsm =
        Response.status(404)
            .entity("{\"error\":{\"code\":404,\"message\":\"provider account not found\"}}")
            .build();

    assertThat(errors.toThrowable(rhsm)).isInstanceOf(RhsmNotFound.class);
  }

  @Test
  void anyOther404IsUnexpectedNeverNotFound() {
    for (Response other :
        List.of(
            Response.status(404).entity("{\"message\":\"Not Found\"}").build(),
            Response.status(404).entity("<html><body>404</body></html>").build(),
            Response.status(404).build())) {
      assertThat(errors.toThrowable(other)).isInstanceOf(UnexpectedAnswer.class);
    }
  }
}
