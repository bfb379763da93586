package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
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

/**
 * The Azure stand-ins refuse what Entra ID and Resource Manager refuse, as they refuse it, and
 * answer as they answer: tokens that expire, subscriptions with their home tenant, managers and
 * state, assignments with their definitions, deletions accepted and followed to their end.
 */
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
    String token = issuedToken();
    arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2016-06-01", token);
    arm("/tenants?api-version=2022-12-01", token);
    arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", AzureStubs.ISSUED_TOKEN);

    assertThat(azure.violations().take())
        .hasSize(4)
        .anySatisfy(v -> assertThat(v).contains("client secret"))
        .anySatisfy(v -> assertThat(v).contains("api-version 2022-12-01"))
        .anySatisfy(v -> assertThat(v).contains("/tenants", "no such endpoint"))
        .anySatisfy(v -> assertThat(v).contains("not a bearer token Entra ID issued"));

    azure.refusingOurSecret();
    azure.tokenRevokedFor(SUBSCRIPTION);
    assertThat(token(AzureStubs.TENANT_ID, form()))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("invalid_client"));
    assertThat(arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", token))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("InvalidAuthenticationToken"));
    arm("/subscriptions/" + UNKNOWN + "?api-version=2022-12-01", token);
    assertThat(azure.violations().take()).isEmpty();
    assertThat(azure.subscriptionRequests(SUBSCRIPTION)).as("the refused ones too").hasSize(3);
  }

  @Test
  void exactClientCredentialsFormGetsAToken() throws Exception {
    HttpResponse<String> answer = token(AzureStubs.TENANT_ID, form());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"token_type\":\"Bearer\"", "\"expires_in\":3599", AzureStubs.ISSUED_TOKEN);
    assertThat(azure.tokenRequests()).isEqualTo(1);
    assertThat(issuedToken()).as("a new token each time").isNotEqualTo(issuedToken());
  }

  @Test
  void aTokenPastItsLifetimeIsRefusedAsExpired() throws Exception {
    azure.tokenLifetime(Duration.ofSeconds(1));
    String token = issuedToken();
    String subscription = "/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01";
    assertThat(arm(subscription, token).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(5)).until(azure::lastTokenExpired);

    assertThat(arm(subscription, token))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(401))
        .satisfies(answer -> assertThat(answer.body()).contains("ExpiredAuthenticationToken"));
    assertThat(azure.expiredTokensRefused()).isEqualTo(1);
    assertThat(azure.violations().take()).as("Azure's answer, not a request sent wrong").isEmpty();
    azure.reset();
    assertThat(token(AzureStubs.TENANT_ID, form()).body())
        .as("a reset restores Entra ID's lifetime")
        .contains("\"expires_in\":3599");
  }

  @Test
  void subscriptionShowsItsHomeTenantManagersAndState() throws Exception {
    azure.visible(SUBSCRIPTION, AzureStubs.CUSTOMER_TENANT, "PastDue");
    String plainRbac =
        arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", issuedToken()).body();
    azure.delegated(UNKNOWN, "Warned");
    String delegated =
        arm("/subscriptions/" + UNKNOWN + "?api-version=2022-12-01", issuedToken()).body();

    assertThat(plainRbac)
        .contains(
            "\"managedByTenants\":[]",
            "\"tenantId\":\"" + AzureStubs.CUSTOMER_TENANT,
            "\"state\":\"PastDue\"");
    assertThat(delegated)
        .contains(
            "\"managedByTenants\":[{\"tenantId\":\"" + AzureStubs.TENANT_ID + "\"}]",
            "\"tenantId\":\"" + AzureStubs.CUSTOMER_TENANT,
            "\"state\":\"Warned\"");
    assertThatThrownBy(() -> azure.delegated(SUBSCRIPTION, "Suspended"))
        .as("no state Azure does not have")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void assignmentsAreListedWithTheirDefinitionsAndDeletedAsAsked() throws Exception {
    String ours = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    azure.ourAssignment(SUBSCRIPTION, ours);
    azure.deletion(SUBSCRIPTION, ours, 204);
    String token = issuedToken();
    String assignments =
        "/subscriptions/"
            + SUBSCRIPTION
            + "/providers/Microsoft.ManagedServices/registrationAssignments";

    assertThat(
            arm(assignments + "?api-version=2022-10-01&$expandRegistrationDefinition=true", token)
                .body())
        .contains(
            "\"name\":\"" + ours,
            "\"registrationDefinitionName\":\"" + AzureStubs.OFFER_NAME,
            "\"managedByTenantId\":\"" + AzureStubs.TENANT_ID);
    assertThat(azure.violations().take()).isEmpty();
    arm(assignments + "?api-version=2022-10-01", token);
    assertThat(azure.violations().take())
        .singleElement()
        .satisfies(v -> assertThat(v).contains("without their definitions"));
    assertThat(
            send("DELETE", assignments + "/" + ours + "?api-version=2022-10-01", token)
                .statusCode())
        .isEqualTo(204);
    azure.deletion(SUBSCRIPTION, ours, 403);
    assertThat(send("DELETE", assignments + "/" + ours + "?api-version=2022-10-01", token).body())
        .contains("AuthorizationFailed");
    assertThat(azure.deletions(SUBSCRIPTION)).hasSize(2);
  }

  @Test
  void anAcceptedDeletionIsFollowedThroughItsOperationToItsEnd() throws Exception {
    String ours = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    azure.ourAssignment(SUBSCRIPTION, ours);
    azure.deletionAccepted(SUBSCRIPTION, ours, AzureStubs.Follow.ASYNC_OPERATION, 1, "Succeeded");
    String token = issuedToken();

    HttpResponse<String> accepted =
        send(
            "DELETE",
            "/subscriptions/"
                + SUBSCRIPTION
                + "/providers/Microsoft.ManagedServices/registrationAssignments/"
                + ours
                + "?api-version=2022-10-01",
            token);

    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(accepted.headers().firstValue("Retry-After")).contains("1");
    String operation = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(operation).startsWith(azure.resourceManagerUrl() + "/subscriptions/" + SUBSCRIPTION);
    String path = operation.substring(azure.resourceManagerUrl().length());
    HttpResponse<String> running = arm(path, token);
    assertThat(running.body()).contains("\"status\":\"InProgress\"");
    assertThat(running.headers().firstValue("Retry-After")).contains("1");
    assertThat(arm(path, token).body()).contains("\"status\":\"Succeeded\"");
    assertThat(azure.operationReads(SUBSCRIPTION)).hasSize(2);
    assertThat(azure.violations().take()).isEmpty();
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
        arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2022-12-01", issuedToken());

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
    assertThat(azure.violations().take()).singleElement().asString().contains("Entra ID issued");
  }

  @Test
  void resourceManagerRefusesAWrongOrMissingApiVersion() throws Exception {
    String token = issuedToken();
    assertThat(arm("/subscriptions/" + SUBSCRIPTION + "?api-version=2016-06-01", token))
        .satisfies(answer -> assertThat(answer.statusCode()).isEqualTo(400))
        .satisfies(answer -> assertThat(answer.body()).contains("InvalidApiVersionParameter"));
    assertThat(arm("/subscriptions/" + SUBSCRIPTION, token))
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

  /** A token from the stand-in, as our service gets one. */
  private static String issuedToken() throws Exception {
    String body = token(AzureStubs.TENANT_ID, form()).body();
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject().getString("access_token");
    }
  }

  private static HttpResponse<String> arm(String pathAndQuery, String token) throws Exception {
    return send("GET", pathAndQuery, token);
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(azure.resourceManagerUrl() + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
