package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for RHSM's cloud-access API (base path {@code /v1}) that keeps state as RHSM does:
 * each org's provider accounts. A registration stores them (204) or is refused with 409 when any
 * org holds the account already; {@code GET /enabled} lists what the org holds; removals by source
 * or by id take them away (404 when there is nothing to remove). Every request is checked against
 * RHSM's Swagger document and our own rules (the org header, JSON bodies); what breaks them is a
 * {@link Violations violation} that fails the test. Tests override single answers (outages,
 * refusals) with ordinary stubs, which win over the stateful defaults.
 */
public final class RhsmStub implements AutoCloseable, CheckedStandIn {
  public static final String ACCOUNTS = "/v1/cloud_access_providers/AWS/accounts";
  public static final String ENABLED = "/v1/cloud_access_providers/enabled";
  public static final String SOURCE_ACCOUNTS = "/v1/cloud_access_providers/accounts";
  public static final String ORG_HEADER = "X-RhsmApi-AccountID";
  public static final String AWS = "AWS";

  private static final String PROVIDER_ACCOUNTS = "/v1/cloud_access_providers/([A-Z]+)/accounts";
  private static final Map<String, String> PROVIDERS =
      Map.of(
          "AWS", "Amazon Web Services",
          "AGOV", "AWS GovCloud",
          "ACN", "AWS China",
          "MSAZ", "Microsoft Azure",
          "GCE", "Google Compute Engine");

  /** What the default stubs do with RHSM's state, carried in their metadata. */
  private static final String OPERATION = "rhsm-operation";

  private final WireMockServer server;
  private final Samples samples;
  private final OpenApiCheck swagger = new OpenApiCheck("rhsm-api-v1.swagger.json", "/v1");
  private final Violations violations = new Violations("RHSM");

  /** Every org's accounts, in the order registered. Guarded by {@code this}. */
  private final List<Held> holdings = new ArrayList<>();

  /**
   * One provider account as RHSM holds it, every field as it was sent: {@code sourceId} null when
   * added by hand; {@code verified} as the registration said (by hand: false).
   */
  public record Held(
      String orgId,
      String provider,
      String id,
      String nickname,
      String sourceId,
      boolean verified,
      Instant added) {}

  RhsmStub(Samples samples, int port) {
    this(samples, options().port(port).containerThreads(100));
  }

  private RhsmStub(Samples samples, WireMockConfiguration options) {
    this.samples = samples;
    server = new WireMockServer(options.extensions(new Gate()));
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

  /**
   * Back to an RHSM that holds nothing for anyone and answers from its state. Violations are kept
   * for the test that caused them.
   */
  public void reset() {
    server.resetAll();
    synchronized (this) {
      holdings.clear();
    }
    server.stubFor(any(anyUrl()).atPriority(10).willReturn(error(404, "no such resource")));
    server.stubFor(stateful(post(urlPathMatching(PROVIDER_ACCOUNTS)), "add"));
    server.stubFor(stateful(delete(urlPathMatching(PROVIDER_ACCOUNTS)), "remove-one"));
    server.stubFor(stateful(delete(urlPathEqualTo(SOURCE_ACCOUNTS)), "remove-source"));
    server.stubFor(stateful(get(urlPathEqualTo(ENABLED)), "enabled"));
  }

  private static MappingBuilder stateful(MappingBuilder request, String operation) {
    return request
        .atPriority(9)
        .withMetadata(Map.of(OPERATION, operation))
        .willReturn(aResponse().withStatus(500));
  }

  /** The org holds that account, linked to that source ({@code null}: added by hand). */
  public synchronized void holds(String orgId, String provider, String id, String sourceId) {
    holdings.add(new Held(orgId, provider, id, "", sourceId, sourceId != null, Instant.EPOCH));
  }

  /** The org holds that AWS account, linked to that source. */
  public void orgHolds(String orgId, String awsAccountId, String sourceId) {
    holds(orgId, AWS, awsAccountId, sourceId);
  }

  /** What RHSM holds for the org now, every provider. */
  public synchronized List<Held> holdings(String orgId) {
    return holdings.stream().filter(held -> held.orgId().equals(orgId)).toList();
  }

  /**
   * What RHSM holds for the org now, AWS account id to source id (null for an account added by
   * hand).
   */
  public Map<String, String> heldFor(String orgId) {
    Map<String, String> held = new LinkedHashMap<>();
    holdings(orgId).stream()
        .filter(account -> AWS.equals(account.provider()))
        .forEach(account -> held.put(account.id(), account.sourceId()));
    return held;
  }

  /** Removals of the accounts of that source, for that org. */
  public List<LoggedRequest> removals(String orgId, long sourceId) {
    return server.findAll(
        deleteRequestedFor(urlPathEqualTo(SOURCE_ACCOUNTS))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .withQueryParam("sourceID", equalTo(Long.toString(sourceId))));
  }

  /** Removals of that one provider account by id, for that org. */
  public List<LoggedRequest> accountRemovals(String orgId, String provider, String id) {
    return server.findAll(
        deleteRequestedFor(urlPathEqualTo("/v1/cloud_access_providers/" + provider + "/accounts"))
            .withHeader(ORG_HEADER, equalTo(orgId))
            .withRequestBody(containing("\"id\":\"" + id + "\"")));
  }

  /**
   * The next {@code times} removals of the source's accounts for the org take effect as usual and
   * are answered 503 all the same, as when RHSM removed them and the answer that said so was lost:
   * the first takes the accounts away, the later ones find nothing. Every removal after them is
   * answered from the state again.
   */
  public void sourceRemovalsLandButAnswer503(String orgId, long sourceId, int times) {
    InTurn.failFirst(
        server,
        () ->
            delete(urlPathEqualTo(SOURCE_ACCOUNTS))
                .withHeader(ORG_HEADER, equalTo(orgId))
                .withQueryParam("sourceID", equalTo(Long.toString(sourceId)))
                .withMetadata(Map.of(OPERATION, "remove-source-unanswered")),
        times,
        error(503, "{\"error\":{\"code\":503,\"message\":\"service unavailable\"}}"));
  }

  /**
   * The next registration of that AWS account for the org takes effect as usual and is answered 503
   * all the same, as when RHSM stored it and the answer that said so was lost; the next one is
   * answered from the state again (409: held).
   */
  public void registrationLandsButAnswer503(String orgId, String awsAccountId) {
    InTurn.failFirst(
        server,
        () -> registration(orgId, awsAccountId).withMetadata(Map.of(OPERATION, "add-unanswered")),
        1,
        error(503, "{\"error\":{\"code\":503,\"message\":\"service unavailable\"}}"));
  }

  /** How RHSM answers the registration of that AWS account for that org, whatever it holds. */
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

  private static ResponseDefinitionBuilder error(int status, String message, Object... args) {
    return error(
        status,
        Json.createObjectBuilder()
            .add(
                "error",
                Json.createObjectBuilder()
                    .add("code", status)
                    .add("message", String.format(message, args)))
            .build()
            .toString());
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

  /**
   * Whether that account, registered for the org at {@code since} or after, is held for it: trusted
   * again after something removed it then.
   */
  public boolean trustedAgainSince(String orgId, String awsAccountId, java.util.Date since) {
    return registrations(orgId, awsAccountId).stream()
            .anyMatch(registered -> !registered.getLoggedDate().before(since))
        && heldFor(orgId).containsKey(awsAccountId);
  }

  @Override
  public Violations violations() {
    return violations;
  }

  @Override
  public void close() {
    server.stop();
  }

  private synchronized ResponseDefinitionBuilder add(
      String orgId, String provider, JsonArray accounts) {
    for (JsonValue value : accounts) {
      String id = value.asJsonObject().getString("id");
      if (holdings.stream().anyMatch(h -> h.provider().equals(provider) && h.id().equals(id))) {
        return conflict();
      }
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (JsonValue value : accounts) {
      JsonObject account = value.asJsonObject();
      holdings.add(
          new Held(
              orgId,
              provider,
              account.getString("id"),
              account.getString("nickname", ""),
              account.containsKey("sourceId") && !account.isNull("sourceId")
                  ? account.getString("sourceId")
                  : null,
              account.getBoolean("verified", false),
              now));
    }
    return aResponse().withStatus(204);
  }

  private synchronized ResponseDefinitionBuilder removeOne(
      String orgId, String provider, String id) {
    boolean removed =
        holdings.removeIf(
            h -> h.orgId().equals(orgId) && h.provider().equals(provider) && h.id().equals(id));
    return removed ? aResponse().withStatus(204) : error(404, "provider account %s not found", id);
  }

  private synchronized ResponseDefinitionBuilder removeSource(String orgId, String sourceId) {
    boolean removed =
        holdings.removeIf(h -> h.orgId().equals(orgId) && sourceId.equals(h.sourceId()));
    return removed
        ? aResponse().withStatus(204)
        : error(404, "no provider account for source %s", sourceId);
  }

  private synchronized ResponseDefinitionBuilder enabled(String orgId) {
    Map<String, List<Held>> byProvider = new LinkedHashMap<>();
    holdings(orgId)
        .forEach(h -> byProvider.computeIfAbsent(h.provider(), p -> new ArrayList<>()).add(h));
    var body = Json.createArrayBuilder();
    byProvider.forEach(
        (provider, accounts) -> {
          var list = Json.createArrayBuilder();
          for (Held held : accounts) {
            var account =
                Json.createObjectBuilder()
                    .add("id", held.id())
                    .add("nickname", held.nickname())
                    .add("dateAdded", held.added().toString());
            if (held.sourceId() == null) {
              account.addNull("sourceId");
            } else {
              account.add("sourceId", held.sourceId());
            }
            list.add(
                account
                    .add("verified", held.verified())
                    .add("goldImageStatus", Json.createArrayBuilder()));
          }
          body.add(
              Json.createObjectBuilder()
                  .add("name", PROVIDERS.get(provider))
                  .add("shortName", provider)
                  .add("accounts", list)
                  .add("products", Json.createArrayBuilder()));
        });
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(Json.createObjectBuilder().add("body", body).build().toString());
  }

  /**
   * RHSM's refusals and our rules, before any answer: the Swagger document, the org header, JSON
   * bodies of the right shape; then, for the default stubs, the answer from RHSM's state.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "rhsm-gate";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      List<String> errors = swagger.errors(request);
      if (!errors.isEmpty()) {
        errors.forEach(error -> violations.add(request, error));
        return error(400, "request does not follow the API: %s", errors.get(0)).build();
      }
      String orgId = request.getHeader(ORG_HEADER);
      if (orgId == null || orgId.isBlank()) {
        return refuse(request, 400, "no %s header: which org?", ORG_HEADER);
      }
      String body = request.getBodyAsString();
      boolean hasBody = body != null && !body.isBlank();
      String contentType = request.getHeader("Content-Type");
      if (hasBody && (contentType == null || !contentType.startsWith("application/json"))) {
        return refuse(request, 415, "a body needs Content-Type: application/json");
      }
      String operation =
          Optional.ofNullable(event.getStubMapping().getMetadata())
              .map(metadata -> metadata.getString(OPERATION, null))
              .orElse(null);
      String path = OpenApiCheck.path(request);
      String provider =
          path.matches(PROVIDER_ACCOUNTS) ? path.replaceAll(PROVIDER_ACCOUNTS, "$1") : null;
      if (provider != null && !PROVIDERS.containsKey(provider)) {
        return refuse(request, 404, "unknown provider %s", provider);
      }
      try {
        return switch (operation == null ? "" : operation) {
          case "add", "add-unanswered" -> {
            JsonArray accounts =
                Json.createReader(new StringReader(hasBody ? body : "")).readArray();
            if (accounts.isEmpty() || accounts.size() > 100) {
              yield refuse(request, 400, "between 1 and 100 accounts, not %d", accounts.size());
            }
            for (JsonValue account : accounts) {
              if (account.getValueType() != JsonValue.ValueType.OBJECT
                  || account.asJsonObject().getString("id", "").isBlank()) {
                yield refuse(request, 400, "every account needs an id");
              }
              JsonObject fields = account.asJsonObject();
              // RHSM stores what it is sent; auto-registration needs both, so that is our rule
              if (!fields.getBoolean("verified", false)
                  || fields.getString("sourceId", "").isBlank()) {
                violations.add(
                    request,
                    "a registration of ours is verified and tied to its source: " + fields);
              }
            }
            ResponseDefinition added = add(orgId, provider, accounts).build();
            yield "add-unanswered".equals(operation) ? event.getResponseDefinition() : added;
          }
          case "remove-one" -> {
            JsonObject account =
                Json.createReader(new StringReader(hasBody ? body : "")).readObject();
            if (account.getString("id", "").isBlank()) {
              yield refuse(request, 400, "which account? the body needs an id");
            }
            yield removeOne(orgId, provider, account.getString("id")).build();
          }
          case "remove-source" ->
              removeSource(orgId, request.queryParameter("sourceID").firstValue()).build();
          case "remove-source-unanswered" -> {
            removeSource(orgId, request.queryParameter("sourceID").firstValue());
            yield event.getResponseDefinition();
          }
          case "enabled" -> enabled(orgId).build();
          default -> event.getResponseDefinition();
        };
      } catch (JsonException | IllegalStateException | ClassCastException malformed) {
        return refuse(
            request, 400, "the body is not the JSON the call takes: %s", malformed.getMessage());
      }
    }

    private ResponseDefinition refuse(Request request, int status, String message, Object... args) {
      violations.add(request, status + " " + String.format(message, args));
      return error(status, message, args).build();
    }
  }
}
