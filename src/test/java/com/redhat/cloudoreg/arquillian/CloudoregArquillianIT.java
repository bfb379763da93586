package com.redhat.cloudoreg.arquillian;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.rhsm.RhsmGateway;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.SourcesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the container proves, on the Liberty managed container (Arquillian): the packaged WAR
 * (the build's {@code cloudoreg.war}, with this class added) deployed to a server of its own,
 * {@code cloudoreg-arquillian}, with the production server.xml and its settings in server.env.
 * In-container tests get the gateways injected by Liberty's CDI and call them through their
 * interceptors and the MicroProfile REST client; client-side tests ({@link RunAsClient}) start the
 * Sources stand-in in this JVM, read what it received, and ask the health endpoints. No Kafka
 * broker: readiness is DOWN for it, which these tests do not need.
 *
 * <p>The methods run in order: the stand-in must be up before the in-container call, and its
 * requests are read after it.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// with the other ITs, before the disruptive ones and the log scan (Arquillian stops its server at
// the end of the run)
@Order(Integer.MAX_VALUE - 3)
public class CloudoregArquillianIT {
  static final long APPLICATION_ID = 4711;
  static final String APPLICATION_PATH = "/api/sources/v3.1/applications/" + APPLICATION_ID;
  static final String ORG_ID = "arquillian-org";
  static final String REQUEST_ID = "arquillian-request-1";

  /** The server's SOURCES_PSK (pom.xml, execution prepare-arquillian-server). */
  static final String PSK = "arquillian-sources-psk";

  static final int FAILURES = 3;

  @Inject BeanManager beanManager;
  @Inject SourcesGateway sources;
  @Inject RhsmGateway rhsm;
  @Inject StsVerifier sts;
  @Inject TrustFlow flow;

  @ArquillianResource URL baseUrl;

  @Deployment
  public static WebArchive deployment() {
    WebArchive built =
        ShrinkWrap.createFromZipFile(
            WebArchive.class,
            new File(System.getProperty("arquillian.war", "target/cloudoreg.war")));
    // not "cloudoreg.war": server.xml names an application cloudoreg (the image's), and two
    // applications of one name do not start
    return ShrinkWrap.create(WebArchive.class, "cloudoreg-arquillian.war")
        .merge(built)
        .addClass(CloudoregArquillianIT.class);
  }

  @Test
  @Order(1)
  public void gatewaysAndFlowAreApplicationScopedBeansInjectedByTheContainer() {
    assertAll(
        () -> assertNotNull(sources, "SourcesGateway"),
        () -> assertNotNull(rhsm, "RhsmGateway"),
        () -> assertNotNull(sts, "StsVerifier"),
        () -> assertNotNull(flow, "TrustFlow"));
    for (Class<?> type :
        List.of(SourcesGateway.class, RhsmGateway.class, StsVerifier.class, TrustFlow.class)) {
      Bean<?> bean = beanManager.resolve(beanManager.getBeans(type));
      assertNotNull(bean, type.getSimpleName() + " resolves to one bean");
      assertEquals(ApplicationScoped.class, bean.getScope(), type.getSimpleName() + "'s scope");
    }
    // what is injected is the container's client proxy (with the fault tolerance and metrics
    // interceptors behind it), not an instance of the class itself
    assertFalse(sources.getClass().equals(SourcesGateway.class), sources.getClass().getName());
  }

  @Test
  @Order(2)
  @RunAsClient
  public void sourcesStandInFailsThreeTimesThenAnswers() {
    SourcesStandIn.start(
        APPLICATION_PATH,
        FAILURES,
        "{\"id\":\"" + APPLICATION_ID + "\",\"source_id\":\"77\",\"application_type_id\":\"5\"}");
  }

  @Test
  @Order(3)
  public void sourcesReadIsRetriedByTheConfiguredPolicyUntilItAnswers() {
    Caller caller = new Caller(new Tenant(ORG_ID, Optional.empty()), REQUEST_ID);
    long started = System.nanoTime();
    Optional<Application> application = sources.application(caller, APPLICATION_ID);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(
        Optional.of(new Application(Long.toString(APPLICATION_ID), "77", "5")), application);
    // @Retry(delay = 500, jitter = 250): three waits of at least 250 ms each
    assertTrue(took.toMillis() >= 3 * 250, "retried with delays, took " + took);
  }

  @Test
  @Order(4)
  @RunAsClient
  public void sourcesGotFourRequestsWithThePreSharedKeyAndTheTenantNeverTheIdentity() {
    try {
      List<Map<String, String>> requests = SourcesStandIn.requestsTo(APPLICATION_PATH);
      assertEquals(FAILURES + 1, requests.size(), "three 503s retried, then the 200");
      for (Map<String, String> headers : requests) {
        assertAll(
            () -> assertEquals(PSK, headers.get("x-rh-sources-psk"), "x-rh-sources-psk"),
            () -> assertEquals(ORG_ID, headers.get("x-rh-sources-org-id"), "x-rh-sources-org-id"),
            () ->
                assertEquals(
                    REQUEST_ID, headers.get("x-rh-insights-request-id"), "request id passed on"),
            () ->
                assertFalse(
                    headers.containsKey("x-rh-identity"),
                    "no identity header: " + headers.keySet()),
            () ->
                assertFalse(
                    headers.containsKey("x-rh-sources-account-number"),
                    "no account number header when the tenant has none"));
      }
    } finally {
      SourcesStandIn.stop();
    }
  }

  @Test
  @Order(5)
  @RunAsClient
  public void healthNamesItsChecksReadyDownWithoutKafkaLiveUp() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HttpResponse<String> ready = get(http, "/health/ready");
    Map<String, String> readiness = checks(ready.body());
    assertEquals(
        List.of("circuit-breakers", "configuration", "kafka", "warm-up"),
        readiness.keySet().stream().sorted().toList(),
        ready.body());
    assertEquals("UP", readiness.get("configuration"), "the settings of server.env reached it");
    assertEquals("DOWN", readiness.get("kafka"), "no broker");
    assertEquals(503, ready.statusCode(), ready.body());

    HttpResponse<String> live = get(http, "/health/live");
    Map<String, String> liveness = checks(live.body());
    assertEquals(List.of("event-stream"), List.copyOf(liveness.keySet()), live.body());
    assertEquals(
        "UP", liveness.get("event-stream"), "an unreachable broker is no reason to restart");
    assertEquals(200, live.statusCode(), live.body());
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    // Liberty's own endpoints are at the server's root, beside the deployment's context root
    URI uri = baseUrl.toURI().resolve(path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Each check's name and status. */
  private static Map<String, String> checks(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonObject health = reader.readObject();
      return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
          .collect(
              Collectors.toMap(
                  check -> check.getString("name"), check -> check.getString("status")));
    }
  }
}
