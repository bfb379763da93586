package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Azure stand-ins refuse what Entra ID and Resource Manager refuse, as they refuse it. */
class AzureStubsTest {
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";
  private static final String UNKNOWN = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

  @TempDir static Path dir;
  private static AzureStubs azure;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    Certificates certificates = Certificates.generate(dir.resolve("certificates"));
    azure = new AzureStubs(certificates);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certificates.clientTrustStore())) {
      trust.load(in, Certificates.PASSWORD.toCharArray());
    }
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustManagers.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(tls).build();
  }

  @AfterAll
  static void stop() {
    azure.close();
  }

  @BeforeEach
  void reset() {
    azure.reset();
    azure.violations().take();
    azure.delegated(SUBSCRIPTION, "Enabled");
  }

  @Test
  void whatWeSendWrongIsAViolationWhatATestAskedForIsNot() throws Exception {
    Map<String, String> wrongSecret = form();
    wrongSecret.put("client_secret", "wrong");
    token(AzureStubs.TENANT_ID, wrongSecret);
    arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2016-06-01", AzureStubs.ISSUED_TOKEN);
    arm("/tenants?api-version=2022-12-01", AzureStubs.ISSUED_TOKEN);

    assertThat(azure.violations().take())
        .hasSize(3)
        .anySatisfy(v -> assertThat(v).contains("client secret"))
        .anySatisfy(v -> assertThat(v).contains("api-version 2022-12-01"))
        .anySatisfy(v -> assertThat(v).contains("/tenants", "no such endpoint"));

    azure.refusingOurSecret();
    azure.tokenRevokedFor(SUBSCRIPTION);
    assertThat(token(AzureStubs.TENANT_ID, form()))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("invalid_client"));
    assertThat(
            arm(
                "/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01",
                AzureStubs.ISSUED_TOKEN))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("InvalidAuthenticationToken"));
    arm("/subscriptions/" + UNKNOWN + "?api-version=2022-12-01", AzureStubs.ISSUED_TOKEN);
    assertThat(azure.violations().take()).isEmpty();
    assertThat(azure.subscriptionRequests(SUBSCRIPTION)).as("the refused one too").hasSize(2);
  }

  @Test
  void exactClientCredentialsFormGetsAToken() throws Exception {
    HttpResponse<String> answer = token(AzureStubs.TENANT_ID, form());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"token_type\":\"Bearer\"", "\"expires_in\":3599", AzureStubs.ISSUED_TOKEN);
    assertThat(azure.tokenRequests()).isEqualTo(1);
  }

  @Test
  void tokenEndpointRefusesAnotherScope() throws Exception {
    Map<String, String> form = form();
    form.put("scope", "https://graph.microsoft.com/.default");

    assertThat(token(AzureStubs.TENANT_ID, form))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("invalid_scope", "70011"));
  }

  @Test
  void tokenEndpointRefusesAWrongSecret() throws Exception {
    Map<String, String> form = form();
    form.put("client_secret", "wrong");

    assertThat(token(AzureStubs.TENANT_ID, form))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("invalid_client", "7000215"));
  }

  @Test
  void tokenEndpointRefusesAnotherGrantAndMissingFields() throws Exception {
    Map<String, String> password = form();
    password.put("grant_type", "password");
    Map<String, String> noScope = form();
    noScope.remove("scope");

    assertThat(token(AzureStubs.TENANT_ID, password).body()).contains("unsupported_grant_type");
    assertThat(token(AzureStubs.TENANT_ID, noScope))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("invalid_scope", "'scope'"));
  }

  @Test
  void tokenEndpointRefusesAnotherTenant() throws Exception {
    assertThat(token(AzureStubs.OTHER_PROVIDER_TENANT, form()))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("AADSTS90002"));
  }

  @Test
  void resourceManagerAnswersOurBearerWithTheSubscription() throws Exception {
    HttpResponse<String> answer =
        arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", AzureStubs.ISSUED_TOKEN);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"state\":\"Enabled\"", "\"subscriptionId\":\"" + SUBSCRIPTION);
  }

  @Test
  void resourceManagerRefusesAMissingBearer() throws Exception {
    assertThat(arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", null))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("AuthenticationFailed"));
  }

  @Test
  void resourceManagerRefusesATokenItDidNotIssue() throws Exception {
    assertThat(arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", "eyJforged"))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("InvalidAuthenticationToken"));
  }

  @Test
  void resourceManagerRefusesAWrongOrMissingApiVersion() throws Exception {
    assertThat(
            arm(
                "/subscriptions/" + SUBSCRIPTION + "?api-version=2016-06-01",
                AzureStubs.ISSUED_TOKEN))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("InvalidApiVersionParameter"));
    assertThat(arm("/subscriptions/" + SUBSCRIPTION, AzureStubs.ISSUED_TOKEN))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("MissingApiVersionParameter"));
  }

  private static Map<String, String> form() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", AzureStubs.CLIENT_ID);
    form.put("client_secret", AzureStubs.CLIENT_SECRET);
    form.put("scope", AzureStubs.SCOPE);
    return form;
  }

  private static HttpResponse<String> token(String tenant, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(
                URI.create(azure.authorityHost() + "/" + tenant + "/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> arm(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(azure.resourceManagerUrl() + pathAndQuery)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
