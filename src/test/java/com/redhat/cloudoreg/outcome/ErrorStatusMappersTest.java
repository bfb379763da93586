package com.redhat.cloudoreg.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.rhsm.RhsmErrors;
import com.redhat.cloudoreg.sources.SourcesErrors;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Rest Client's default exception mapper is off (microprofile-config.properties), so nothing
 * stands behind our peers' mappers: for a status one of them did not turn into an exception,
 * RESTEasy would hand the flow null, not a failure (an application or authentication that is not
 * there, a removal RHSM refused read as done).
 */
class ErrorStatusMappersTest {
  static Stream<Arguments> mappersAndErrorStatuses() {
    List<ResponseExceptionMapper<RuntimeException>> mappers =
        List.of(new SourcesErrors(), new RhsmErrors());
    return mappers.stream()
        .flatMap(
            mapper ->
                IntStream.rangeClosed(400, 599)
                    .mapToObj(
                        status -> Arguments.of(mapper.getClass().getSimpleName(), mapper, status)));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("mappersAndErrorStatuses")
  void everyErrorStatusBecomesOneOfOurFailures(
      String peer, ResponseExceptionMapper<RuntimeException> mapper, int status) {
    assertThat(mapper.handles(status, new MultivaluedHashMap<>())).isTrue();

    RuntimeException failure = mapper.toThrowable(Response.status(status).build());

    assertThat(failure).isInstanceOfAny(PeerAnswer.class, PeerFailure.class, Rejection.class);
  }
}
