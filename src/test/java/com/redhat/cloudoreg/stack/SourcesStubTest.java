package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Sources stand-in refuses what real Sources refuses, and what our service must not send. */
class SourcesStubTest {
  private static final String ORG = "11789772";
  private static final String APPLICATION = "/api/sources/v3.1/applications/101";
  private static final String AUTHENTICATION =
      "/internal/v2.0/authentications/202?expose_encrypted_attribute[]=password";
  private static SourcesStub sources;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sources = new SourcesStub(new Samples(), Ports.free());
  }

  @AfterAll
  static void stop() {
    sources.close();
  }

  @BeforeEach
  void reset() {
    sources.reset();
    sources.violations().take();
    sources.application(ORG, 101, 55, SourcesStub.CLOUD_METER_TYPE_ID);
    sources.authentication(
        ORG, 202, AuthenticationSpec.arn("arn:aws:iam::480126387441:role/rh", "x", 101));
  }

  @Test
  void requestsAsTheServiceMustSendThemPass() throws Exception {
    assertThat(get(APPLICATION, serviceHeaders()).statusCode()).isEqualTo(200);
    assertThat(get(AUTHENTICATION, serviceHeaders()).statusCode()).isEqualTo(200);
    assertThat(
            get(
                    "/api/sources/v3.1/application_types?filter[name]=/insights/platform/cloud-meter",
                    Map.of(SourcesStub.PSK_HEADER, Stack.PSK))
                .statusCode())
        .as("application types need no tenant")
        .isEqualTo(200);

    assertThat(sources.violations().take()).isEmpty();
  }

  @Test
  void missingPskIsRefused() throws Exception {
    Map<String, String> headers = serviceHeaders();
    headers.remove(SourcesStub.PSK_HEADER);

    HttpResponse<String> response = get(APPLICATION, headers);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body())
        .isEqualTo(
            "{\"errors\":[{\"detail\":\"Unauthorized Action: Incorrect PSK\",\"status\":\"401\"}]}");
    assertThat(sources.violations().take()).singleElement().asString().contains("psk");
  }

  @Test
  void wrongPskIsRefused() throws Exception {
    Map<String, String> headers = serviceHeaders();
    headers.put(SourcesStub.PSK_HEADER, "not-the-key");

    assertThat(get(AUTHENTICATION, headers).statusCode()).isEqualTo(401);
    assertThat(sources.violations().take()).hasSize(1);
  }

  @Test
  void missingTenantIsRefused() throws Exception {
    Map<String, String> headers = serviceHeaders();
    headers.remove(SourcesStub.ORG_HEADER);

    assertThat(get(APPLICATION, headers).statusCode()).isEqualTo(401);
    assertThat(sources.violations().take()).singleElement().asString().contains("org-id");
  }

  @Test
  void anotherTenantsRowIsNotFound() throws Exception {
    Map<String, String> headers = serviceHeaders();
    headers.put(SourcesStub.ORG_HEADER, "99999999");

    assertThat(get(APPLICATION, headers).statusCode()).isEqualTo(404);
    assertThat(get(AUTHENTICATION, headers).statusCode()).isEqualTo(404);
    assertThat(sources.violations().take()).as("a 404 is Sources' answer, not our fault").isEmpty();
  }

  @Test
  void unknownQueryParameterIsRefused() throws Exception {
    assertThat(get(APPLICATION + "?expose_encrypted_attribute[]=password", serviceHeaders()))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(400);
    assertThat(get(AUTHENTICATION + "&include=secrets", serviceHeaders()))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(400);
    assertThat(sources.violations().take())
        .hasSize(2)
        .allSatisfy(violation -> assertThat(violation).contains("unknown query parameter"));
  }

  @Test
  void identityHeaderIsRefused() throws Exception {
    Map<String, String> headers = serviceHeaders();
    headers.put(SourcesStub.IDENTITY_HEADER, Identities.user(ORG, "6089719"));

    assertThat(get(APPLICATION, headers).statusCode()).isEqualTo(400);
    assertThat(sources.violations().take()).singleElement().asString().contains("x-rh-identity");
  }

  @Test
  void nonNumericIdBreaksTheOpenApiDocument() throws Exception {
    get("/api/sources/v3.1/applications/abc", serviceHeaders());

    assertThat(sources.violations().take()).singleElement().asString().contains("applications/abc");
  }

  @Test
  void unknownPathBreaksTheOpenApiDocument() throws Exception {
    get("/api/sources/v3.1/no_such_thing/1", serviceHeaders());

    assertThat(sources.violations().take()).isNotEmpty();
  }

  private static Map<String, String> serviceHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SourcesStub.PSK_HEADER, Stack.PSK);
    headers.put(SourcesStub.ORG_HEADER, ORG);
    return headers;
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(sources.url() + path.replace("[", "%5B").replace("]", "%5D")));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
