package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three ports as Clowder's web services: the availability check and the operator's tools on the
 * private port only, the operator's tools only with our pre-shared key, and what they answer.
 */
@ExtendWith(StackExtension.class)
class InternalEndpointsIT {
  private static final String AVAILABILITY = "/internal/v1/availability_status";
  private static final String SOURCES_PATH = "/internal/api/cloudigrade/v1/availability_status";
  private static final String REPLAY = "/internal/v1/dead-letters/replay";
  private static final String VERIFY = "/internal/v1/operator/verify-role";
  private static final String RECHECK = "/internal/v1/operator/recheck";
  private static final String CONFIG = "/internal/v1/operator/config";
  private static final String RECONCILE = "/internal/v1/operator/reconcile";

  private final Stack stack;
  private final LibertyServer server;
  private final Events events;

  InternalEndpointsIT(Stack stack) {
    this.stack = stack;
    this.server = stack.server();
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
  void internalPathsAreNotFoundOnThePublicAndMetricsPorts() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    Map<String, String> tenant = tenantHeaders(customer);
    String body = "{\"source_id\":\"" + customer.sourceId + "\"}";

    for (var uri :
        List.of(
            server.uri(AVAILABILITY),
            server.uri(SOURCES_PATH),
            server.metricsUri(AVAILABILITY),
            server.metricsUri(SOURCES_PATH))) {
      assertThat(server.post(uri, body, tenant).statusCode()).as("POST %s", uri).isEqualTo(404);
    }
    for (var uri :
        List.of(
            server.uri(REPLAY),
            server.uri(RECHECK),
            server.uri(RECONCILE),
            server.metricsUri(REPLAY),
            server.metricsUri(RECONCILE))) {
      assertThat(server.post(uri, "{}", Stack.OPERATOR).statusCode())
          .as("POST %s", uri)
          .isEqualTo(404);
    }
    assertThat(server.get(server.uri(CONFIG), Stack.OPERATOR).statusCode()).isEqualTo(404);
    assertThat(server.get(server.uri(AVAILABILITY), Map.of()).statusCode())
        .as("a wrong method on the wrong port tells nothing either")
        .isEqualTo(404);
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(server.get(server.metricsUri(), Map.of()).statusCode()).isEqualTo(200);
    assertThat(customer.statuses()).as("no check ran").isEmpty();
  }

  @Test
  void availabilityCheckAnswersOnBothPathsOfThePrivatePort() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    String body = "{\"source_id\":\"" + customer.sourceId + "\"}";

    var onOurs = server.postPrivate(AVAILABILITY, body, tenantHeaders(customer));
    var onSources = server.postPrivate(SOURCES_PATH, body, tenantHeaders(customer));

    assertThat(onOurs.statusCode()).isEqualTo(202);
    assertThat(onSources.statusCode()).isEqualTo(202);
    customer.awaitStatuses(2);
  }

  /**
   * JSON past the reader's limits (nesting 1,000 deep, a number of 1,101 digits: a few KiB) is
   * refused JSON, answered 400 as any other: in an identity, a check's body, an operator's body.
   * Liberty's JSON-P provider throws no JsonException for it.
   */
  @Test
  void jsonPastTheReadersLimitsIsABadRequestNeverAServerError() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    String longNumber = "1" + "0".repeat(1100);
    String identity =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("{\"identity\":{\"org_id\":\"1234\",\"x\":" + deep + "}}")
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> tenant =
        Map.of("x-rh-sources-org-id", "1234", "x-rh-identity", Identities.user("1234", "1"));

    var deepIdentity =
        server.postPrivate(
            AVAILABILITY, "{\"source_id\":\"55\"}", Map.of("x-rh-identity", identity));
    var deepBody =
        server.postPrivate(AVAILABILITY, "{\"source_id\":\"55\",\"x\":" + deep + "}", tenant);
    var longNumberBody =
        server.postPrivate(AVAILABILITY, "{\"source_id\":\"55\",\"n\":" + longNumber + "}", tenant);
    var operatorsDeepBody =
        server.postPrivate(VERIFY, "{\"arn\":\"x\",\"x\":" + deep + "}", Stack.OPERATOR);

    assertThat(deepIdentity.statusCode()).isEqualTo(400);
    assertThat(deepIdentity.body()).contains("send an x-rh-identity");
    assertThat(deepBody.statusCode()).isEqualTo(400);
    assertThat(deepBody.body()).contains("expected {\\\"source_id\\\"");
    assertThat(longNumberBody.statusCode()).isEqualTo(400);
    assertThat(operatorsDeepBody.statusCode()).isEqualTo(400);
  }

  /**
   * A body larger than any check is refused and not read to its end, and the pod stays up (a 160
   * MiB heap exits on running out). 64 KiB: a caller without an identity is refused for that, its
   * body unread; one of a tenant past a check's 4 KiB. 8 MiB, its length said or sent in chunks:
   * refused the same, or by Liberty's 1 MiB bound, which also keeps it from a resource that reads
   * its whole body (the operator's).
   */
  @Test
  void aBodyLargerThanAnyCheckIsRefusedUnread() throws IOException {
    String tenant =
        "x-rh-sources-org-id: 1234\r\nx-rh-identity: " + Identities.user("1234", "1") + "\r\n";
    assertThat(postLarge(AVAILABILITY, 1, false, ""))
        .startsWith("HTTP/1.1 400")
        .contains("send an x-rh-identity");
    assertThat(postLarge(AVAILABILITY, 1, false, tenant))
        .startsWith("HTTP/1.1 413")
        .contains("at most 4096 bytes");
    for (boolean chunked : List.of(false, true)) {
      assertThat(postLarge(AVAILABILITY, 128, chunked, tenant))
          .as("chunked: %s", chunked)
          .startsWith("HTTP/1.1 413");
      assertThat(postLarge(AVAILABILITY, 128, chunked, ""))
          .as("chunked: %s, no identity", chunked)
          .matches("(?s)HTTP/1\\.1 (400|413) .*");
    }
    String operator = "x-rh-cloudoreg-psk: " + Stack.OPERATOR.get("x-rh-cloudoreg-psk") + "\r\n";
    assertThat(postLarge(RECONCILE, 128, false, operator)).startsWith("HTTP/1.1 413");
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
  }

  /** Posts {@code chunks} × 64 KiB to {@code path} on the private port; what came back, as sent. */
  private String postLarge(String path, int chunks, boolean chunked, String headers)
      throws IOException {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) '9');
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + headers
            + (chunked
                ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + chunks * chunk.length + "\r\n")
            + "Connection: close\r\n\r\n";
    try (Socket socket = new Socket("localhost", server.privateUri("/").getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      try {
        for (int sent = 0; sent < chunks; sent++) {
          if (chunked) {
            out.write(
                (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          }
          out.write(chunk);
          if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
      } catch (IOException closedOnUs) {
        // the server answered and closed before the rest was sent: what it answered is read below
      }
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Checks wait in their tenant's lane, at most CLOUDOREG_MAX_WAITING_CHECKS (256) at once and one
   * org at most half of them, so that an org whose lane is held cannot keep every other org's
   * checks out; a check of a source whose check still waits adds nothing (a tenant whose lane is
   * held, checked hourly, holds one waiting check per source, not one per hour).
   */
  @Test
  void checksWaitingAreBoundedOneOrgAtMostHalfAndTheSameSourceWaitsOnce() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    // every source's applications answered slowly: each tenant's checks wait in its lane
    var slow =
        stack
            .sources
            .server()
            .stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.get(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                            SourcesStub.PUBLIC_API + "/sources/[0-9]+/applications"))
                    .atPriority(1)
                    .willReturn(
                        com.github.tomakehurst.wiremock.client.WireMock.okJson(
                                "{\"data\":[],\"meta\":{\"count\":0,\"limit\":100,\"offset\":0},\"links\":{}}")
                            .withFixedDelay(10_000)));
    Map<String, String> held = tenantHeaders(customer);
    int readsBefore = applicationsReads();
    List<Integer> ofHeldTenant = new java.util.ArrayList<>();
    List<Integer> again = new java.util.ArrayList<>();
    List<Integer> ofAnother = new java.util.ArrayList<>();
    HttpResponse<String> aboveItsHalf;
    HttpResponse<String> aboveTheBound;
    try {
      for (int i = 0; i < 128; i++) {
        ofHeldTenant.add(check(customer.sourceId + i, held));
      }
      aboveItsHalf = checked(customer.sourceId + 128, held);
      for (int i = 1; i < 60; i++) {
        again.add(check(customer.sourceId + i, held));
      }
      Map<String, String> another = otherTenant(customer, 1);
      for (int i = 0; i < 128; i++) {
        ofAnother.add(check(customer.sourceId + i, another));
      }
      aboveTheBound = checked(customer.sourceId, otherTenant(customer, 2));
    } finally {
      stack.sources.server().removeStub(slow);
    }

    assertThat(ofHeldTenant)
        .as("one tenant's many sources, up to half the bound")
        .containsOnly(202);
    assertThat(aboveItsHalf.statusCode()).as("above its half, told to come back").isEqualTo(429);
    assertThat(aboveItsHalf.body()).contains("too many checks of this org waiting");
    assertThat(again)
        .as("sources whose checks still wait: accepted, nothing added, even at the org's half")
        .containsOnly(202);
    assertThat(ofAnother)
        .as("the other half: another org's checks are not kept out")
        .containsOnly(202);
    assertThat(aboveTheBound.statusCode())
        .as("above CLOUDOREG_MAX_WAITING_CHECKS, told to come back")
        .isEqualTo(429);
    assertThat(aboveTheBound.body()).contains("too many checks waiting");
    // every check accepted has run (each reads its source's applications once): the bound is free
    // again for the tests after this one
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> applicationsReads() >= readsBefore + 256);
    assertThat(check(customer.sourceId, held)).isEqualTo(202);
  }

  private int applicationsReads() {
    return stack
        .sources
        .server()
        .findAll(
            com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                    SourcesStub.PUBLIC_API + "/sources/[0-9]+/applications")))
        .size();
  }

  private int check(long sourceId, Map<String, String> tenant) {
    return checked(sourceId, tenant).statusCode();
  }

  private HttpResponse<String> checked(long sourceId, Map<String, String> tenant) {
    return server.postPrivate(AVAILABILITY, "{\"source_id\":\"" + sourceId + "\"}", tenant);
  }

  /** The headers of another tenant than the customer's, the {@code n}th. */
  private static Map<String, String> otherTenant(CustomerSource customer, int n) {
    String org = customer.orgId + "0" + n;
    return Map.of(
        "x-rh-sources-org-id",
        org,
        "x-rh-identity",
        Identities.user(org, CustomerSource.ACCOUNT_NUMBER));
  }

  @Test
  void operatorToolsWantOneOfOurKeys() {
    for (Map<String, String> headers :
        List.of(
            Map.<String, String>of(),
            Map.of("x-rh-cloudoreg-psk", "guess"),
            Map.of("x-rh-cloudoreg-psk", Stack.OPERATOR_PSK + "x"),
            Map.of("x-rh-cloudoreg-psk", ""))) {
      assertThat(server.postPrivate(REPLAY, "", headers).statusCode()).isEqualTo(401);
      assertThat(server.postPrivate(VERIFY, "{}", headers).statusCode()).isEqualTo(401);
      assertThat(server.postPrivate(RECHECK, "{}", headers).statusCode()).isEqualTo(401);
      assertThat(server.postPrivate(RECONCILE, "{\"org_id\":\"7654321\"}", headers).statusCode())
          .isEqualTo(401);
      assertThat(server.get(server.privateUri(CONFIG), headers).statusCode()).isEqualTo(401);
    }
    assertThat(
            server
                .postPrivate(
                    REPLAY, "", Map.of("x-rh-cloudoreg-psk", "cloudoreg-operator-psk-retired-3hZ"))
                .statusCode())
        .as("the other key of a rotation")
        .isEqualTo(200);
  }

  @Test
  void verifyRoleSaysWhatCloudoregWouldDecideAndChangesNothing() {
    CustomerSource trusting = new CustomerSource(stack, events).trusting();
    CustomerSource refusing = new CustomerSource(stack, events).inSources();
    stack.sts.refuses(refusing.roleArn, 403, "Sender", "AccessDenied");

    var trusted =
        server.postPrivate(
            VERIFY,
            "{\"arn\":\""
                + trusting.roleArn
                + "\",\"external_id\":\""
                + trusting.externalId
                + "\"}",
            Stack.OPERATOR);
    var refused =
        server.postPrivate(
            VERIFY,
            "{\"arn\":\""
                + refusing.roleArn
                + "\",\"external_id\":\""
                + refusing.externalId
                + "\"}",
            Stack.OPERATOR);
    var notAnArn =
        server.postPrivate(VERIFY, "{\"arn\":\"arn:aws:iam::12:user/x\"}", Stack.OPERATOR);
    var noArn = server.postPrivate(VERIFY, "{\"external_id\":\"x\"}", Stack.OPERATOR);

    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(trusted.body()).contains("\"outcome\":\"TRUSTED\"", "\"status\":\"available\"");
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("\"status\":\"unavailable\"", "\"outcome\":\"CG");
    assertThat(notAnArn.body()).contains("\"status\":\"unavailable\"");
    assertThat(noArn.statusCode()).isEqualTo(400);
    assertThat(stack.sts.assumeRoleRequests(trusting.roleArn)).hasSize(1);
    assertThat(stack.rhsm.registrations(trusting.orgId)).as("no RHSM change").isEmpty();
    assertThat(trusting.statuses()).as("no status").isEmpty();
    assertThat(refusing.statuses()).as("no status").isEmpty();
  }

  @Test
  void recheckDoesWhatAnAvailabilityCheckDoes() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();

    var answer =
        server.postPrivate(
            RECHECK,
            "{\"org_id\":\"" + customer.orgId + "\",\"source_id\":\"" + customer.sourceId + "\"}",
            Stack.OPERATOR);
    var noOrg =
        server.postPrivate(
            RECHECK, "{\"source_id\":\"" + customer.sourceId + "\"}", Stack.OPERATOR);

    assertThat(answer.statusCode()).isEqualTo(202);
    customer.awaitAvailable();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
    assertThat(noOrg.statusCode()).isEqualTo(400);
  }

  @Test
  void configurationShowsSettingsWithSecretsRedacted() {
    var answer = server.get(server.privateUri(CONFIG), Stack.OPERATOR);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"SOURCES_PSK\":\"<redacted>\"", "\"CLOUDOREG_PSKS\":\"<redacted>\"")
        .contains("\"AWS_SECRET_ACCESS_KEY\":\"<redacted>\"")
        .contains("\"SOURCES_API_URL\":\"" + stack.sources.url() + "\"")
        .doesNotContain(Stack.PSK, Stack.OPERATOR_PSK, StsStub.SERVICE_SECRET_ACCESS_KEY);
  }

  @Test
  void openApiDocumentDescribesTheInternalEndpoints() {
    var document = server.get(server.privateUri("/openapi"), Map.of());

    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body())
        .contains(AVAILABILITY, SOURCES_PATH, REPLAY, VERIFY, RECHECK, CONFIG)
        .contains("/internal/v1/operator/reconcile")
        .contains("x-rh-cloudoreg-psk")
        .contains("/api/cloudigrade/v2/azure-offer-template");
    // Liberty validates the document it generates at start and logs what is invalid (CWWKO1650E)
    assertThat(server.logs().resolve("messages.log"))
        .content()
        .as("the OpenAPI document as Liberty validated it")
        .doesNotContain("CWWKO1650E");
  }

  private static Map<String, String> tenantHeaders(CustomerSource customer) {
    return Map.of(
        "x-rh-sources-org-id",
        customer.orgId,
        "x-rh-identity",
        Identities.user(customer.orgId, CustomerSource.ACCOUNT_NUMBER));
  }
}
