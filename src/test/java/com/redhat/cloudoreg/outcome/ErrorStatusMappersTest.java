package com.redhat.cloudoreg.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.rhsm.RhsmErrors;
import com.redhat.cloudoreg.sources.SourcesErrors;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
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
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  private static final List<ResponseExceptionMapper<RuntimeException>> MAPPERS =
      List.of(new SourcesErrors(CLOCK), new RhsmErrors(CLOCK));

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

  /**
   * Only the peer's own 404 (its error body) says a resource is not there: a {@link PeerAnswer} the
   * caller reads as "gone", "already removed" or "holds nothing". A 404 of a path the peer does not
   * route, a proxy's page, or one without a body is an answer we did not expect — never that.
   */
  static Stream<Arguments> notFoundAnswers() {
    String sources = "{\"errors\":[{\"detail\":\"application not found\",\"status\":\"404\"}]}";
    String rhsm = "{\"error\":{\"code\":404,\"message\":\"provider account not found\"}}";
    SourcesErrors sourcesErrors = new SourcesErrors(CLOCK);
    RhsmErrors rhsmErrors = new RhsmErrors(CLOCK);
    List<String> neither =
        List.of(
            "{\"message\":\"Not Found\"}",
            // our own doors' error body: what a pod calling itself would get
            "{\"error\":\"not found\"}",
            "<html><body>404</body></html>",
            "{\"errors\":[]}",
            "{\"errors\":[{\"status\":\"500\"}]}",
            "");
    return Stream.of(
            Stream.of(
                Arguments.of("SourcesErrors", sourcesErrors, sources, "SourcesNotFound"),
                Arguments.of("RhsmErrors", rhsmErrors, rhsm, "RhsmNotFound"),
                Arguments.of("SourcesErrors", sourcesErrors, rhsm, "UnexpectedAnswer"),
                Arguments.of("RhsmErrors", rhsmErrors, sources, "UnexpectedAnswer")),
            neither.stream()
                .flatMap(
                    body ->
                        Stream.of(
                            Arguments.of("SourcesErrors", sourcesErrors, body, "UnexpectedAnswer"),
                            Arguments.of("RhsmErrors", rhsmErrors, body, "UnexpectedAnswer"))))
        .flatMap(cases -> cases);
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("notFoundAnswers")
  void onlyThePeersOwnNotFoundIsNotFound(
      String peer, ResponseExceptionMapper<RuntimeException> mapper, String body, String read) {
    Response notFound =
        body.isEmpty() ? Response.status(404).build() : Response.status(404).entity(body).build();

    assertThat(mapper.toThrowable(notFound).getClass().getSimpleName()).isEqualTo(read);
  }

  /**
   * A 429, or a 503 with {@code Retry-After} (seconds, or an HTTP-date read against the clock),
   * carries the wait into the decision; a wait longer than the gateways' retry pause is not retried
   * in place ({@link Throttled.Longer}); without one, or with one we cannot read, the normal pauses
   * apply.
   */
  static Stream<Arguments> throttlingAnswers() {
    record Case(int status, String retryAfter, Duration asked, Class<?> kind) {}
    Duration thirty = Duration.ofSeconds(30);
    String thirtyOn = "Sun, 01 Mar 2026 10:00:30 GMT";
    List<Case> cases =
        List.of(
            new Case(429, "2", Duration.ofSeconds(2), Throttled.Longer.class),
            new Case(429, thirtyOn, thirty, Throttled.Longer.class),
            new Case(429, "0", Duration.ZERO, Throttled.class),
            new Case(429, null, null, Throttled.class),
            new Case(429, "soon", null, Throttled.class),
            new Case(503, "2", Duration.ofSeconds(2), Throttled.Longer.class),
            new Case(503, thirtyOn, thirty, Throttled.Longer.class),
            new Case(503, null, null, TransientFailure.class),
            new Case(503, "soon", null, TransientFailure.class),
            new Case(500, "2", null, TransientFailure.class));
    return MAPPERS.stream()
        .flatMap(
            mapper ->
                cases.stream()
                    .map(
                        c ->
                            Arguments.of(
                                mapper.getClass().getSimpleName(),
                                mapper,
                                c.status(),
                                c.retryAfter(),
                                Optional.ofNullable(c.asked()),
                                c.kind())));
  }

  @ParameterizedTest(name = "{0} {2} Retry-After {3}")
  @MethodSource("throttlingAnswers")
  void throttlingCarriesTheWaitThePeerAskedFor(
      String peer,
      ResponseExceptionMapper<RuntimeException> mapper,
      int status,
      String retryAfter,
      Optional<Duration> wait,
      Class<?> kind) {
    Response.ResponseBuilder answer = Response.status(status);
    if (retryAfter != null) {
      answer.header(HttpHeaders.RETRY_AFTER, retryAfter);
    }

    RuntimeException failure = mapper.toThrowable(answer.build());

    assertThat(failure).isExactlyInstanceOf(kind);
    assertThat(Decision.failed(failure, "55").retryAfter()).isEqualTo(wait);
  }
}
