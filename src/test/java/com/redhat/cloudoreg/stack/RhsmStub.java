package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.Json;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for RHSM's cloud-access API (base path {@code /v1}), answering as the contract says.
 */
public final class RhsmStub implements AutoCloseable {
  public static final String ACCOUNTS = "/v1/cloud_access_providers/AWS/accounts";
  public static final String ENABLED = "/v1/cloud_access_providers/enabled";
  public static final String SOURCE_ACCOUNTS = "/v1/cloud_access_providers/accounts";
  public static final String ORG_HEADER = "X-RhsmApi-AccountID";

  private final WireMockServer server;
  private final Samples samples;

  RhsmStub(Samples samples, int port) {
    this(samples, options().port(port).containerThreads(100));
  }

  private RhsmStub(Samples samples, WireMockConfiguration options) {
    this.samples = samples;
    server = new WireMockServer(options);
    server.start();
    reset();
  }

  /**
   * RHSM as services reach it in production: HTTPS only, and only with a client certificate that
   * {@code trustStore} trusts.
   */
  public static RhsmStub mutualTls(Samples samples, Certificates certificates) {
    return new RhsmStub(
        samples,
        options()
            .httpDisabled(true)
            .httpsPort(Ports.free())
            .keystorePath(certificates.serverKeyStore().toString())
            .keystorePassword(Certificates.PASSWORD)
            .keyManagerPassword(Certificates.PASSWORD)
            .keystoreType("PKCS12")
            .needClientAuth(true)
            .trustStorePath(certificates.serverTrustStore().toString())
            .trustStorePassword(Certificates.PASSWORD)
            .trustStoreType("PKCS12"));
  }

  /** The base URL as cloudoreg is configured with it. */
  public String url() {
    String base =
        server.getOptions().getHttpDisabled()
            ? "https://localhost:" + server.httpsPort()
            : server.baseUrl();
    return base + "/v1";
  }

  public WireMockServer server() {
    return server;
  }

  /** Back to an RHSM that accepts every registration and removal. */
  public void reset() {
    server.resetAll();
    server.stubFor(post(urlEqualTo(ACCOUNTS)).willReturn(aResponse().withStatus(204)));
    server.stubFor(delete(urlPathEqualTo(SOURCE_ACCOUNTS)).willReturn(aResponse().withStatus(204)));
  }

  /** Removals of the accounts of that source, for that org. */
  public List<LoggedRequest> removals(String orgId, long sourceId) {
    return server.findAll(
        deleteRequestedFor(urlPathEqualTo(SOURCE_ACCOUNTS))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .withQueryParam("sourceID", equalTo(Long.toString(sourceId))));
  }

  /**
   * What RHSM holds for the org after every registration and removal it accepted, in the order it
   * received them: AWS account id to source id.
   */
  public Map<String, String> heldFor(String orgId) {
    Map<String, String> held = new java.util.LinkedHashMap<>();
    server.getAllServeEvents().stream()
        .filter(event -> event.getResponse().getStatus() / 100 == 2)
        .filter(event -> orgId.equals(event.getRequest().getHeader(ORG_HEADER)))
        .sorted(java.util.Comparator.comparing(event -> event.getRequest().getLoggedDate()))
        .forEach(
            event -> {
              var request = event.getRequest();
              if ("POST".equals(request.getMethod().getName())) {
                for (var account :
                    Json.createReader(new java.io.StringReader(request.getBodyAsString()))
                        .readArray()) {
                  held.put(
                      account.asJsonObject().getString("id"),
                      account.asJsonObject().getString("sourceId"));
                }
              } else if ("DELETE".equals(request.getMethod().getName())) {
                String source = request.queryParameter("sourceID").firstValue();
                held.values().removeIf(source::equals);
              }
            });
    return held;
  }

  /** How RHSM answers the registration of that AWS account for that org. */
  public void registrationsAnswer(
      String orgId, String awsAccountId, ResponseDefinitionBuilder answer) {
    server.stubFor(registration(orgId, awsAccountId).willReturn(answer));
  }

  /** The registration of that AWS account for that org, for scenarios of several answers. */
  public static MappingBuilder registration(String orgId, String awsAccountId) {
    return post(urlEqualTo(ACCOUNTS))
        .withHeader(ORG_HEADER, equalTo(orgId))
        .withRequestBody(containing("\"id\":\"" + awsAccountId + "\""));
  }

  /** RHSM's unique-constraint refusal: the account is registered already. */
  public ResponseDefinitionBuilder conflict() {
    return error(409, samples.text("rhsm-error-409.json"));
  }

  public static ResponseDefinitionBuilder error(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** What {@code GET /enabled} lists for the org: this AWS account, linked to that source. */
  public void orgHolds(String orgId, String awsAccountId, String sourceId) {
    var account =
        Json.createObjectBuilder(
                samples
                    .object("rhsm-enabled.json")
                    .getJsonArray("body")
                    .getJsonObject(0)
                    .getJsonArray("accounts")
                    .getJsonObject(0))
            .add("id", awsAccountId)
            .add("sourceId", sourceId);
    var provider =
        Json.createObjectBuilder(
                samples.object("rhsm-enabled.json").getJsonArray("body").getJsonObject(0))
            .add("accounts", Json.createArrayBuilder().add(account));
    server.stubFor(
        get(urlEqualTo(ENABLED))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .willReturn(
                okJson(
                    Json.createObjectBuilder()
                        .add("body", Json.createArrayBuilder().add(provider))
                        .build()
                        .toString())));
  }

  /** The org holds no AWS account at all. */
  public void orgHoldsNothing(String orgId) {
    server.stubFor(
        get(urlEqualTo(ENABLED))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .willReturn(okJson("{\"body\":[]}")));
  }

  public List<LoggedRequest> registrations(String orgId) {
    return server.findAll(
        postRequestedFor(urlEqualTo(ACCOUNTS)).withHeader(ORG_HEADER, equalTo(orgId)));
  }

  public List<LoggedRequest> registrations(String orgId, String awsAccountId) {
    return server.findAll(
        postRequestedFor(urlEqualTo(ACCOUNTS))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .withRequestBody(containing("\"id\":\"" + awsAccountId + "\"")));
  }

  @Override
  public void close() {
    server.stop();
  }
}
