package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stand-in for the Sources API that answers like the real one (bodies from the fixtures) and is
 * as strict: every call needs the pre-shared key and (but for application types) the tenant's org
 * id; a tenant sees only its own rows (404 for another's); unknown query parameters are refused;
 * and a call carrying {@code x-rh-identity} is refused, because the service must never send it.
 * Every request is also checked against Sources' published OpenAPI documents. Whatever our service
 * got wrong is recorded as a {@link Violations violation}, which fails the test that caused it.
 */
public final class SourcesStub implements AutoCloseable, CheckedStandIn {
  public static final String CLOUD_METER_TYPE_ID = "5";

  /** Source type ids by name, as an environment's seeds number them. */
  public static final Map<String, String> SOURCE_TYPE_IDS =
      Map.of("amazon", "1", "azure", "2", "google", "3", "openshift", "4");

  public static final String PUBLIC_API = "/api/sources/v3.1";
  public static final String INTERNAL_API = "/internal/v2.0";
  public static final String PSK_HEADER = "x-rh-sources-psk";
  public static final String ORG_HEADER = "x-rh-sources-org-id";
  public static final String IDENTITY_HEADER = "x-rh-identity";

  /** List parameters Sources accepts on collections: {@code filter[…]}, paging, sorting. */
  private static final Pattern LIST_PARAMETER =
      Pattern.compile("filter\\[[a-z_]+\\](\\[[a-z_]+\\])?|limit|offset|sort_by");

  private static final Pattern COLLECTION =
      Pattern.compile(
          PUBLIC_API
              + "/(application_types|application_authentications|source_types"
              + "|applications/\\d+/authentications|sources/\\d+/applications)");

  private final WireMockServer server;
  private final Samples samples;
  private final String psk;
  private final OpenApiCheck publicSpec = new OpenApiCheck("sources-api-v3.1.json", PUBLIC_API);
  private final OpenApiCheck internalSpec =
      new OpenApiCheck("sources-api-internal-v2.0.json", INTERNAL_API);
  private final Violations violations = new Violations("Sources");
  private volatile boolean validating = true;

  SourcesStub(Samples samples, int port) {
    this(samples, Stack.PSK, port, List.of());
  }

  /** {@code extensions} are loaded beside the gate, for stubs that name them. */
  SourcesStub(Samples samples, String psk, int port, List<Extension> extensions) {
    this.samples = samples;
    this.psk = psk;
    server =
        new WireMockServer(
            options()
                .port(port)
                .containerThreads(100)
                .extensions(new Gate())
                .extensions(extensions.toArray(Extension[]::new)));
    server.start();
    reset();
  }

  public String url() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  /**
   * Back to a Sources that knows the Cloud Meter type and nothing else: any other read is 404.
   * Violations are kept for the test that caused them.
   */
  public void reset() {
    server.resetAll();
    server.stubFor(any(anyUrl()).atPriority(10).willReturn(notFound()));
    server.stubFor(
        get(urlPathEqualTo(PUBLIC_API + "/application_types"))
            .willReturn(okJson(samples.text("sources-application-types.json"))));
    SOURCE_TYPE_IDS.forEach(
        (name, id) ->
            server.stubFor(
                get(urlPathEqualTo(PUBLIC_API + "/source_types/" + id))
                    .willReturn(
                        okJson(
                            Json.createObjectBuilder()
                                .add("id", id)
                                .add("name", name)
                                .add("product_name", name)
                                .build()
                                .toString()))));
  }

  /** {@code GET /sources/{id}} of that tenant: a source of that type ({@code amazon}, …). */
  public void source(String orgId, long id, String typeName) {
    server.stubFor(row(orgId, PUBLIC_API + "/sources/" + id).willReturn(sourceBody(id, typeName)));
  }

  private static ResponseDefinitionBuilder sourceBody(long id, String typeName) {
    return okJson(
        Json.createObjectBuilder()
            .add("id", Long.toString(id))
            .add("name", "source " + id)
            .add("source_type_id", SOURCE_TYPE_IDS.get(typeName))
            .add("availability_status", "in_progress")
            .build()
            .toString());
  }

  /** An application of that tenant. */
  public void application(String orgId, long id, long sourceId, String applicationTypeId) {
    server.stubFor(
        row(orgId, PUBLIC_API + "/applications/" + id)
            .willReturn(applicationBody(id, sourceId, applicationTypeId)));
    // its source, an AWS one unless the test says otherwise with source(…)
    server.stubFor(
        row(orgId, PUBLIC_API + "/sources/" + sourceId)
            .atPriority(8)
            .willReturn(sourceBody(sourceId, "amazon")));
  }

  /** Sources' answer for a Cloud Meter application of that source. */
  public ResponseDefinitionBuilder applicationBody(long id, long sourceId) {
    return applicationBody(id, sourceId, CLOUD_METER_TYPE_ID);
  }

  private ResponseDefinitionBuilder applicationBody(
      long id, long sourceId, String applicationTypeId) {
    JsonObject body =
        Json.createObjectBuilder(samples.object("sources-application.json"))
            .add("id", Long.toString(id))
            .add("source_id", Long.toString(sourceId))
            .add("application_type_id", applicationTypeId)
            .build();
    return okJson(body.toString());
  }

  /**
   * An authentication of that tenant as the internal API returns it; {@code username} normally
   * holds the ARN.
   */
  public void authentication(String orgId, long id, AuthenticationSpec spec) {
    var extra = Json.createObjectBuilder();
    if (spec.externalId() != null) {
      extra.add("external_id", spec.externalId());
    }
    JsonObject body =
        Json.createObjectBuilder(samples.object("sources-authentication-internal.json"))
            .add("id", Long.toString(id))
            .add("authtype", spec.authtype())
            .add("username", spec.username())
            .add("password", spec.password())
            .add("extra", extra)
            .add("resource_type", spec.resourceType())
            .add("resource_id", spec.resourceId())
            .build();
    server.stubFor(
        row(orgId, INTERNAL_API + "/authentications/" + id).willReturn(okJson(body.toString())));
    server.stubFor(
        row(orgId, PUBLIC_API + "/authentications/" + id)
            .willReturn(
                okJson(Json.createObjectBuilder(body).remove("password").build().toString())));
  }

  /** {@code GET /applications/{id}/authentications} of that tenant: the public view. */
  public void applicationAuthentications(
      String orgId, long applicationId, long authenticationId, String authtype) {
    JsonObject authentication =
        Json.createObjectBuilder()
            .add("id", Long.toString(authenticationId))
            .add("authtype", authtype)
            .add("resource_type", "Application")
            .add("resource_id", Long.toString(applicationId))
            .build();
    server.stubFor(
        row(orgId, PUBLIC_API + "/applications/" + applicationId + "/authentications")
            .willReturn(okJson(page(authentication))));
  }

  /** {@code GET /sources/{id}/applications} of that tenant: the source's applications. */
  public void sourceApplications(
      String orgId, long sourceId, Map<Long, String> applicationTypeById) {
    JsonObject[] applications =
        applicationTypeById.entrySet().stream()
            .map(
                app ->
                    Json.createObjectBuilder(samples.object("sources-application.json"))
                        .add("id", Long.toString(app.getKey()))
                        .add("source_id", Long.toString(sourceId))
                        .add("application_type_id", app.getValue())
                        .build())
            .toArray(JsonObject[]::new);
    server.stubFor(
        row(orgId, PUBLIC_API + "/sources/" + sourceId + "/applications")
            .willReturn(okJson(page(applications))));
  }

  /** A row Sources serves only to its tenant; everyone else gets the 404 of {@link #reset}. */
  private static MappingBuilder row(String orgId, String path) {
    return get(urlPathEqualTo(path)).withHeader(ORG_HEADER, equalTo(orgId));
  }

  private static String page(JsonObject... items) {
    var data = Json.createArrayBuilder();
    for (JsonObject item : items) {
      data.add(item);
    }
    return Json.createObjectBuilder()
        .add("data", data)
        .add(
            "meta",
            Json.createObjectBuilder()
                .add("count", items.length)
                .add("limit", 100)
                .add("offset", 0))
        .add("links", Json.createObjectBuilder())
        .build()
        .toString();
  }

  /** An odd answer for that application, whoever asks (outages, delays). */
  public void applicationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/applications/" + id)).willReturn(answer));
  }

  /** An odd answer for that authentication, whoever asks. */
  public void authenticationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(INTERNAL_API + "/authentications/" + id)).willReturn(answer));
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/authentications/" + id)).willReturn(answer));
  }

  /** Sources' 404 body. */
  public ResponseDefinitionBuilder notFound() {
    return error(404, samples.text("sources-error-404.json"));
  }

  private static ResponseDefinitionBuilder error(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static String errorBody(int status, String detail) {
    return Json.createObjectBuilder()
        .add(
            "errors",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("detail", detail)
                        .add("status", Integer.toString(status))))
        .build()
        .toString();
  }

  /** Stops checking requests against the OpenAPI documents (a benchmark's CPU is not ours). */
  public void stopValidating() {
    validating = false;
  }

  @Override
  public Violations violations() {
    return violations;
  }

  @Override
  public void close() {
    server.stop();
  }

  /**
   * Sources' own refusals, before any answer a test stubbed: the PSK, the tenant, the identity
   * header we must never send, the query parameters; and the OpenAPI check.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "sources-gate";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      String path = OpenApiCheck.path(request);
      if (validating) {
        OpenApiCheck spec = path.startsWith(INTERNAL_API) ? internalSpec : publicSpec;
        spec.errors(request).forEach(error -> violations.add(request, error));
      }
      if (request.containsHeader(IDENTITY_HEADER)) {
        return refuse(
            request,
            400,
            "a service call must not carry x-rh-identity (Sources would take the tenant from it"
                + " and send the call through RBAC)");
      }
      if (!psk.equals(request.getHeader(PSK_HEADER))) {
        violations.add(request, "no or a wrong " + PSK_HEADER);
        return error(401, errorBody(401, "Unauthorized Action: Incorrect PSK")).build();
      }
      boolean needsTenant = !path.equals(PUBLIC_API + "/application_types");
      String org = request.getHeader(ORG_HEADER);
      if (needsTenant && (org == null || org.isBlank())) {
        return refuse(request, 401, "Unauthorized Action: missing " + ORG_HEADER);
      }
      Set<String> allowed = allowedParameters(path);
      for (String name : OpenApiCheck.queryParameterNames(request)) {
        if (!allowed.contains(name)
            && !(COLLECTION.matcher(path).matches() && LIST_PARAMETER.matcher(name).matches())) {
          return refuse(request, 400, "unknown query parameter: " + name);
        }
      }
      return event.getResponseDefinition();
    }

    private ResponseDefinition refuse(Request request, int status, String detail) {
      violations.add(request, status + " " + detail);
      return error(status, errorBody(status, detail)).build();
    }

    private static Set<String> allowedParameters(String path) {
      if (path.startsWith(INTERNAL_API + "/authentications/")) {
        return Set.of("expose_encrypted_attribute[]");
      }
      return Set.of();
    }
  }

  /** The fields of an authentication a test chooses. */
  public record AuthenticationSpec(
      String authtype,
      String username,
      String password,
      String externalId,
      String resourceType,
      String resourceId) {
    public static AuthenticationSpec arn(String arn, String externalId, long applicationId) {
      return new AuthenticationSpec(
          "cloud-meter-arn", arn, "", externalId, "Application", Long.toString(applicationId));
    }
  }
}
