package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Sources API that answers like the real one (bodies from the contract samples),
 * and checks every request it receives against Sources' published OpenAPI documents.
 */
public final class SourcesStub implements AutoCloseable {
  public static final String CLOUD_METER_TYPE_ID = "5";
  public static final String PUBLIC_API = "/api/sources/v3.1";
  public static final String INTERNAL_API = "/internal/v2.0";

  private final WireMockServer server;
  private final Samples samples;
  private final OpenApiInteractionValidator publicSpec;
  private final OpenApiInteractionValidator internalSpec;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile boolean validating = true;

  SourcesStub(Samples samples, int port) {
    this.samples = samples;
    this.publicSpec = validator(Samples.openapi("sources-api-v3.1.json"), PUBLIC_API);
    this.internalSpec = validator(Samples.openapi("sources-api-internal-v2.0.json"), INTERNAL_API);
    server = new WireMockServer(options().port(port).containerThreads(100));
    server.addMockServiceRequestListener(
        (request, response) -> {
          if (validating) {
            validate(request);
          }
        });
    server.start();
    reset();
  }

  public String url() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  /** Back to a Sources that knows the Cloud Meter type and nothing else. */
  public void reset() {
    server.resetAll();
    violations.clear();
    server.stubFor(
        get(urlPathEqualTo(PUBLIC_API + "/application_types"))
            .willReturn(okJson(samples.text("sources-application-types.json"))));
  }

  public void application(long id, long sourceId, String applicationTypeId) {
    server.stubFor(
        get(urlPathEqualTo(PUBLIC_API + "/applications/" + id))
            .willReturn(applicationBody(id, sourceId, applicationTypeId)));
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

  /** An authentication as the internal API returns it; {@code username} normally holds the ARN. */
  public void authentication(long id, AuthenticationSpec spec) {
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
        get(urlPathEqualTo(INTERNAL_API + "/authentications/" + id))
            .willReturn(okJson(body.toString())));
  }

  /** {@code GET /applications/{id}/authentications}: the public view, no password. */
  public void applicationAuthentications(
      long applicationId, long authenticationId, String authtype) {
    JsonObject authentication =
        Json.createObjectBuilder()
            .add("id", Long.toString(authenticationId))
            .add("authtype", authtype)
            .add("resource_type", "Application")
            .add("resource_id", Long.toString(applicationId))
            .build();
    server.stubFor(
        get(urlPathEqualTo(PUBLIC_API + "/applications/" + applicationId + "/authentications"))
            .willReturn(okJson(page(authentication))));
  }

  /** {@code GET /sources/{id}/applications}: the source's applications of those types. */
  public void sourceApplications(long sourceId, Map<Long, String> applicationTypeById) {
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
        get(urlPathEqualTo(PUBLIC_API + "/sources/" + sourceId + "/applications"))
            .willReturn(okJson(page(applications))));
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

  public void applicationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/applications/" + id)).willReturn(answer));
  }

  public void authenticationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(INTERNAL_API + "/authentications/" + id)).willReturn(answer));
  }

  /** Sources' 404 body. */
  public ResponseDefinitionBuilder notFound() {
    return aResponse()
        .withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody(samples.text("sources-error-404.json"));
  }

  /** Stops checking requests against the OpenAPI documents (a benchmark's CPU is not ours). */
  public void stopValidating() {
    validating = false;
  }

  /** What the requests received so far broke of Sources' OpenAPI documents. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  private void validate(com.github.tomakehurst.wiremock.http.Request received) {
    String url = received.getUrl();
    int query = url.indexOf('?');
    String path = query < 0 ? url : url.substring(0, query);
    SimpleRequest.Builder request =
        new SimpleRequest.Builder(Request.Method.valueOf(received.getMethod().getName()), path);
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        request.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    for (HttpHeader header : received.getHeaders().all()) {
      request.withHeader(header.key(), header.values());
    }
    OpenApiInteractionValidator spec = path.startsWith(INTERNAL_API) ? internalSpec : publicSpec;
    ValidationReport report = spec.validateRequest(request.build());
    report.getMessages().stream()
        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        .forEach(message -> violations.add(received.getMethod() + " " + url + ": " + message));
  }

  private static OpenApiInteractionValidator validator(String spec, String basePath) {
    return OpenApiInteractionValidator.createForSpecificationUrl(spec)
        .withBasePathOverride(basePath)
        .build();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
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
