package com.redhat.cloudoreg.arquillian;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sources, as the Arquillian server reaches it: a WireMock server in the test JVM (the client side
 * of the Arquillian tests; never deployed) on the port the build chose and wrote into the server's
 * {@code SOURCES_API_URL}. Its API is plain JDK types, so that the test class, which is deployed,
 * never links WireMock inside the container.
 */
final class SourcesStandIn {
  private static WireMockServer server;

  private SourcesStandIn() {}

  /** Starts it: {@code path} answers 503 {@code failures} times, then 200 with {@code body}. */
  static synchronized void start(String path, int failures, String body) {
    stop();
    server =
        new WireMockServer(
            WireMockConfiguration.options()
                .port(Integer.parseInt(System.getProperty("arquillian.sources.port"))));
    server.start();
    String state = Scenario.STARTED;
    for (int i = 1; i <= failures; i++) {
      String next = "failed " + i;
      server.stubFor(
          get(urlPathEqualTo(path))
              .inScenario("flaky")
              .whenScenarioStateIs(state)
              .willReturn(aResponse().withStatus(503))
              .willSetStateTo(next));
      state = next;
    }
    server.stubFor(
        get(urlPathEqualTo(path))
            .inScenario("flaky")
            .whenScenarioStateIs(state)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  /** The headers of each request to {@code path}, in order, their names in lower case. */
  static synchronized List<Map<String, String>> requestsTo(String path) {
    List<LoggedRequest> requests = server.findAll(getRequestedFor(urlPathEqualTo(path)));
    return requests.stream()
        .map(
            request -> {
              Map<String, String> headers = new HashMap<>();
              for (String name : request.getAllHeaderKeys()) {
                headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
              }
              return headers;
            })
        .toList();
  }

  static synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }
}
