package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.deployment.Monitoring;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an SRE sees: probes, a Prometheus scrape on the metrics port, and JSON outcome logs. */
@ExtendWith(StackExtension.class)
class ObservabilityIT {
  private final Stack stack;
  private final Events events;

  ObservabilityIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void reset() {
    stack.resetPeers();
  }

  @AfterEach
  void close() {
    events.close();
  }

  @Test
  void probesAreUpWithTheirChecks() {
    var live = stack.server().get("/health/live");
    var ready = stack.server().get("/health/ready");
    var started = stack.server().get("/health/started");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("\"name\":\"event-stream\"");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"name\":\"kafka\"")
        .contains("\"name\":\"circuit-breakers\"")
        .contains("\"name\":\"configuration\"")
        .doesNotContain(Stack.PSK);
    assertThat(started.statusCode()).isEqualTo(200);
  }

  /**
   * The warm-up runs beside the application's start rather than after it: it began before Liberty
   * said the application had started (CDI's Startup event comes only after that), and completed.
   * Read from the server's messages.log, which each start of the server begins anew.
   */
  @Test
  void theWarmUpRanBesideTheApplicationsStartAndCompleted() throws IOException {
    Path messages = stack.server().logs().resolve("messages.log");
    String warmUp =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> lines(messages, "cloudoreg warm-up finished in "), l -> !l.isEmpty())
            .get(0);
    String started = onlyLine(messages, "CWWKZ0001I: Application cloudoreg started");
    Matcher finished = Pattern.compile("warm-up finished in (\\d+) ms: (.*)$").matcher(warmUp);

    assertThat(finished.find()).as(warmUp).isTrue();
    assertThat(finished.group(2)).as("how the warm-up went").isEqualTo("complete");
    assertThat(loggedAt(warmUp).minus(Duration.ofMillis(Long.parseLong(finished.group(1)))))
        .as("when the warm-up began")
        .isBefore(loggedAt(started));
  }

  private static List<String> lines(Path log, String containing) throws IOException {
    return Files.readAllLines(log).stream().filter(line -> line.contains(containing)).toList();
  }

  private static String onlyLine(Path log, String containing) throws IOException {
    List<String> found = lines(log, containing);
    assertThat(found).as("lines with " + containing).hasSize(1);
    return found.get(0);
  }

  /** The time of a messages.log line: {@code [12/6/26, 12:45:10:869 UTC] ...}, any zone. */
  private static LocalDateTime loggedAt(String line) {
    Matcher time = Pattern.compile("^\\[(\\S+, \\S+) \\S+\\]").matcher(line);
    assertThat(time.find()).as(line).isTrue();
    return LocalDateTime.parse(time.group(1), DateTimeFormatter.ofPattern("M/d/yy, H:mm:ss:SSS"));
  }

  @Test
  void scrapeOnTheMetricsPortShowsWhatHappened() throws Exception {
    CustomerSource trusted = new CustomerSource(stack, events).trusting();
    trusted.sendCreate();
    trusted.awaitAvailable();
    CustomerSource refused = new CustomerSource(stack, events).inSources();
    stack.sts.refuses(refused.roleArn, 403, "Sender", "AccessDenied");
    refused.sendCreate();
    refused.awaitUnavailable("CG3002");
    events.send("org-none", Map.of("event_type", "ApplicationAuthentication.create"), "{}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> scrape().contains("cloudoreg_dead_letters_total{kind=\"unreportable\""));
    String scrape = scrape();
    System.out.println("[scrape]\n" + cloudoregLines(scrape));
    assertThat(scrape)
        .containsPattern(
            "cloudoreg_events_consumed_total\\{event_type=\"ApplicationAuthentication.create\",mp_scope=\"application\",} [1-9]")
        .containsPattern(
            "cloudoreg_outcomes_total\\{code=\"TRUSTED\",mp_scope=\"application\",status=\"available\",} [1-9]")
        .containsPattern(
            "cloudoreg_outcomes_total\\{code=\"CG3002\",mp_scope=\"application\",status=\"unavailable\",} [1-9]")
        .contains(
            "cloudoreg_flow_duration_seconds_bucket{mp_scope=\"application\",status=\"available\",le=\"0.5\",}")
        .containsPattern(
            "cloudoreg_peer_call_duration_seconds_count\\{call=\"application\",mp_scope=\"application\",peer=\"sources\",} [1-9]")
        .contains(
            "cloudoreg_peer_call_duration_seconds_bucket{call=\"application\",mp_scope=\"application\",peer=\"sources\",le=\"0.5\",}")
        .containsPattern(
            "cloudoreg_peer_call_duration_seconds_count\\{call=\"verify_role\",mp_scope=\"application\",peer=\"sts\",} [1-9]")
        .containsPattern(
            "cloudoreg_peer_call_duration_seconds_count\\{call=\"add_accounts\",mp_scope=\"application\",peer=\"rhsm\",} [1-9]")
        .contains("cloudoreg_events_in_flight{mp_scope=\"application\",}")
        .contains(
            "ft_retry_retries_total{method=\"com.redhat.cloudoreg.rhsm.RhsmGateway.addAccount\"")
        .contains(
            "ft_circuitbreaker_state_total_nanoseconds{method=\"com.redhat.cloudoreg.policy.Breakers.sts\"");
    // quantiles come from the buckets (histogram_quantile): none kept by the application's metrics,
    // ours or MP Fault Tolerance's (each quantile-keeping series holds HdrHistogram arrays for
    // life); Liberty's own HTTP server metrics (vendor scope) are outside the application's config
    assertThat(scrape.lines().filter(line -> line.contains("quantile=")))
        .as("series with quantiles")
        .allMatch(line -> line.contains("mp_scope=\"vendor\""));
  }

  /**
   * The dashboard and the alerts ask for nothing the service does not expose: every metric their
   * queries name (read from the two files, as the platform reads them) is in a scrape of the
   * running service after real traffic. A renamed metric, or a query with a typo, fails here rather
   * than as an empty panel or an alert that can never fire.
   */
  @Test
  void everyMetricTheDashboardAndTheAlertsNameIsInTheScrape() throws Exception {
    CustomerSource trusted = new CustomerSource(stack, events).trusting();
    trusted.sendCreate();
    trusted.awaitAvailable();
    Map<String, Set<String>> named = Monitoring.namedMetrics();
    assertThat(named).as("metrics named by the dashboard and the alerts").isNotEmpty();

    Set<String> scraped =
        scrape()
            .lines()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .map(line -> line.replaceAll("[{ ].*$", ""))
            .collect(Collectors.toSet());
    System.out.println(
        "[monitoring] " + named.size() + " metrics named, all checked: " + named.keySet());
    assertThat(named)
        .allSatisfy(
            (metric, where) ->
                assertThat(scraped).as("%s, which %s name", metric, where).contains(metric));
  }

  @Test
  void outcomeIsOneJsonLineAndTheRequestIdTravels() throws IOException {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    Map<String, String> headers = new HashMap<>(customer.createHeaders());
    String requestId = "req-" + customer.applicationId;
    headers.put("x-rh-insights-request-id", requestId);

    events.send(customer.orgId, headers, customer.createBody());
    customer.awaitAvailable();

    JsonObject line =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> outcomeLine(customer.orgId), Optional::isPresent)
            .orElseThrow();
    System.out.println("[log line] " + line);
    assertThat(line.getString("ext_outcome")).isEqualTo("TRUSTED");
    assertThat(line.getString("ext_org_id")).isEqualTo(customer.orgId);
    assertThat(line.getString("ext_source_id")).isEqualTo(Long.toString(customer.sourceId));
    assertThat(line.getString("ext_application_id"))
        .isEqualTo(Long.toString(customer.applicationId));
    assertThat(line.getString("ext_event_type")).isEqualTo("ApplicationAuthentication.create");
    assertThat(line.getString("ext_duration_ms")).matches("\\d+");
    assertThat(line.getString("ext_request_id")).isEqualTo(requestId);
    stack
        .sources
        .server()
        .verify(
            getRequestedFor(
                    urlPathEqualTo(
                        SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId))
                .withHeader("x-rh-insights-request-id", equalTo(requestId)));
    stack
        .rhsm
        .server()
        .verify(
            postRequestedFor(urlEqualTo(RhsmStub.ACCOUNTS))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId))
                .withHeader("x-rh-insights-request-id", equalTo(requestId)));
  }

  private Optional<JsonObject> outcomeLine(String orgId) throws IOException {
    List<String> lines = Files.readAllLines(stack.server().logs().resolve("console-run.log"));
    return lines.stream()
        .filter(l -> l.startsWith("{") && l.contains("\"ext_org_id\":\"" + orgId + "\""))
        .map(l -> Json.createReader(new StringReader(l)).readObject())
        // the last: the server's log outlives a run, and ids repeat from run to run
        .reduce((earlier, later) -> later);
  }

  private String scrape() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(stack.server().metricsUri()).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String cloudoregLines(String scrape) {
    return String.join(
        "\n",
        scrape.lines().filter(l -> l.startsWith("cloudoreg_") && !l.contains("_bucket")).toList());
  }
}
