package com.redhat.cloudoreg.rhsm;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Rest Client's default exception mapper is off (microprofile-config.properties), so nothing
 * stands behind this one: for a status it did not turn into an exception, RESTEasy would hand the
 * flow null, not a failure, and a removal RHSM refused would read as done.
 */
class RhsmErrorsTest {
  private final RhsmErrors errors = new RhsmErrors();

  static IntStream errorStatuses() {
    return IntStream.rangeClosed(400, 599);
  }

  @ParameterizedTest
  @MethodSource("errorStatuses")
  void everyErrorStatusBecomesOneOfOurFailures(int status) {
    assertThat(errors.handles(status, new MultivaluedHashMap<>())).isTrue();

    RuntimeException failure = errors.toThrowable(Response.status(status).build());

    assertThat(failure)
        .isInstanceOfAny(
            RhsmConflict.class, RhsmNotFound.class, Rejection.class, PeerFailure.class);
  }
}
