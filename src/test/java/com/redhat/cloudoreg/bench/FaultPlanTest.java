package com.redhat.cloudoreg.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.redhat.cloudoreg.bench.FaultPlan.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
  private static final FaultPlan PLAN = new FaultPlan(17, 0.10, 0.01);
  private static final Duration LATE = Duration.ofMillis(60);
  private static final String TENANT = "x-rh-sources-org-id";

  private WireMockServer peer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void peerAnsweringOk() {
    peer = new WireMockServer(options().dynamicPort());
    peer.start();
    peer.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stopPeer() {
    peer.stop();
  }

  @Test
  void theSameSeedPlansTheSameFaultsAndAnotherSeedOthers() {
    FaultPlan again = new FaultPlan(17, 0.10, 0.01);
    FaultPlan other = new FaultPlan(18, 0.10, 0.01);
    int differences = 0;
    for (int i = 0; i < 10_000; i++) {
      String request = PeerFaults.what("GET", "/applications/" + i, "org" + i % 7, "");
      assertThat(again.decide("sources", request, 1)).isEqualTo(PLAN.decide("sources", request, 1));
      if (other.decide("sources", request, 1) != PLAN.decide("sources", request, 1)) {
        differences++;
      }
    }
    assertThat(differences).as("another seed, other faults").isGreaterThan(1000);
  }

  @Test
  void faultsComeAtTheirRatesWhateverTheRequestItsPeerOrItsRepetition() {
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    int draws = 0;
    for (String peerName : new String[] {"sources", "rhsm"}) {
      for (int i = 0; i < 20_000; i++) {
        for (int occurrence = 1; occurrence <= 3; occurrence++) {
          String request = PeerFaults.what("POST", "/v1/accounts", "org" + i, "{\"id\":" + i + "}");
          counts.merge(PLAN.decide(peerName, request, occurrence), 1, Integer::sum);
          draws++;
        }
      }
    }
    assertThat(share(counts, Fault.ERROR_500, draws) + share(counts, Fault.ERROR_503, draws))
        .isCloseTo(0.10, within(0.005));
    assertThat(share(counts, Fault.ERROR_500, draws)).isCloseTo(0.05, within(0.005));
    assertThat(share(counts, Fault.SLOW, draws)).isCloseTo(0.01, within(0.002));
  }

  @Test
  void aRequestRepeatedMeetsFreshDrawsNotTheSameFaultForever() {
    String request = PeerFaults.what("GET", "/applications/1/authentications", "org1", "");
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    for (int occurrence = 1; occurrence <= 2000; occurrence++) {
      counts.merge(PLAN.decide("sources", request, occurrence), 1, Integer::sum);
    }
    assertThat(counts.get(Fault.NONE)).isBetween(1700, 1860);
    assertThat(counts).containsKeys(Fault.ERROR_500, Fault.ERROR_503, Fault.SLOW);
  }

  @Test
  void theStandInAnswersEachReceiptAsThePlanSaysAndCountsWhatItServed() throws Exception {
    PeerFaults faults = new PeerFaults("sources", TENANT, PLAN, LATE, this::error);
    faults.install(peer);
    faults.on();
    Map<String, Integer> received = new HashMap<>();
    Map<Fault, Integer> expected = new EnumMap<>(Fault.class);
    for (int i = 0; i < 1500; i++) {
      String path = "/api/sources/v3.1/applications/" + i % 150; // each path ten times
      String org = "org" + i % 150;
      int occurrence = received.merge(path, 1, Integer::sum);
      Fault planned = PLAN.decide("sources", PeerFaults.what("GET", path, org, ""), occurrence);
      expected.merge(planned, 1, Integer::sum);

      long started = System.nanoTime();
      HttpResponse<String> answer = get(path, org);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(answer.statusCode())
          .as("receipt %d of %s, planned %s", occurrence, path, planned)
          .isEqualTo(
              switch (planned) {
                case NONE -> 200;
                case ERROR_500 -> 500;
                case ERROR_503, SLOW -> 503;
              });
      if (planned == Fault.SLOW) {
        assertThat(took).isGreaterThanOrEqualTo(LATE);
      }
    }
    for (Fault fault : new Fault[] {Fault.ERROR_500, Fault.ERROR_503, Fault.SLOW}) {
      assertThat(faults.served(fault))
          .as("%s served", fault)
          .isEqualTo(expected.get(fault).longValue());
    }
    assertThat(faults.calls()).isEqualTo(1500);
  }

  @Test
  void offTheStandInAnswersAsItself() throws Exception {
    PeerFaults faults =
        new PeerFaults("sources", TENANT, new FaultPlan(1, 1.0, 0), LATE, this::error);
    faults.install(peer);
    faults.on();
    assertThat(get("/api/sources/v3.1/applications/1", "org1").statusCode()).isIn(500, 503);
    faults.off();
    for (int i = 0; i < 20; i++) {
      assertThat(get("/api/sources/v3.1/applications/1", "org1").statusCode()).isEqualTo(200);
    }
    assertThat(faults.calls()).isEqualTo(1);
  }

  private HttpResponse<String> get(String path, String org) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(peer.baseUrl() + path)).header(TENANT, org).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private ResponseDefinitionBuilder error(int status) {
    return aResponse().withStatus(status).withBody("{\"errors\":[]}");
  }

  private static double share(Map<Fault, Integer> counts, Fault fault, int draws) {
    return counts.getOrDefault(fault, 0) / (double) draws;
  }
}
