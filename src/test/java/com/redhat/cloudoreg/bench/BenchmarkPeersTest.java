package com.redhat.cloudoreg.bench;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Extension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's stand-ins answer any id with the bodies, byte for byte, and the Content-Type the
 * Handlebars templates they replaced gave. Each call has its own id, and the AssumeRole form has
 * another 12-digit number before the RoleArn, so an id taken from the wrong place shows.
 */
class BenchmarkPeersTest {
  private static WireMockServer peers;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    peers =
        new WireMockServer(
            options()
                .dynamicPort()
                .extensions(BenchmarkPeers.EXTENSIONS.toArray(Extension[]::new)));
    peers.start();
    BenchmarkPeers.serveAnySource(peers);
    BenchmarkPeers.trustAnyRole(peers);
  }

  @AfterAll
  static void stop() {
    peers.stop();
  }

  @Test
  void applicationBelongsToTheSourceOfItsId() throws Exception {
    assertAnswer(
        get("/api/sources/v3.1/applications/100000000041"),
        "application/json",
        "{\"id\":\"100000000041\",\"source_id\":\"100000000041\",\"application_type_id\":\"5\","
            + "\"availability_status\":\"in_progress\",\"extra\":{}}");
  }

  @Test
  void sourceIsAnAmazonOne() throws Exception {
    assertAnswer(
        get("/api/sources/v3.1/sources/100000000042"),
        "application/json",
        "{\"id\":\"100000000042\",\"source_type_id\":\"1\"}");
  }

  @Test
  void publicAuthenticationHoldsTheRoleOfTheAccountOfItsId() throws Exception {
    assertAnswer(
        get("/api/sources/v3.1/authentications/100000000043"),
        "application/json",
        "{\"id\":\"100000000043\",\"authtype\":\"cloud-meter-arn\","
            + "\"username\":\"arn:aws:iam::100000000043:role/redhat-cloud-meter\","
            + "\"extra\":{\"external_id\":\"bench-external-id\"},"
            + "\"resource_type\":\"Application\",\"resource_id\":\"100000000043\"}");
  }

  @Test
  void callsMadeAtOnceAreOneRoundTrip() {
    List<BenchmarkPeers.Call> calls =
        List.of(
            new BenchmarkPeers.Call(161, "Sources", "Sources GET /authentications/{id}"),
            new BenchmarkPeers.Call(169, "Sources", "Sources GET /applications/{id}"),
            new BenchmarkPeers.Call(251, "STS", "STS AssumeRole"),
            new BenchmarkPeers.Call(334, "RHSM", "RHSM POST /accounts"),
            new BenchmarkPeers.Call(417, "Sources", "Sources GET /applications/{id}/auth"));

    assertThat(BenchmarkPeers.count(calls, 20)).isEqualTo(new BenchmarkPeers.CallCount(5, 1, 4));
    assertThat(BenchmarkPeers.count(List.of(), 20))
        .isEqualTo(new BenchmarkPeers.CallCount(0, 0, 0));
  }

  @Test
  void applicationsAuthenticationsListItsOwnForTheFence() throws Exception {
    assertAnswer(
        get("/api/sources/v3.1/applications/100000000045/authentications?limit=100"),
        "application/json",
        "{\"meta\":{\"count\":1,\"limit\":100,\"offset\":0},\"links\":{},"
            + "\"data\":[{\"id\":\"100000000045\",\"authtype\":\"cloud-meter-arn\","
            + "\"username\":\"arn:aws:iam::100000000045:role/redhat-cloud-meter\","
            + "\"extra\":{\"external_id\":\"bench-external-id\"},"
            + "\"resource_type\":\"Application\",\"resource_id\":\"100000000045\"}]}");
  }

  @Test
  void internalAuthenticationAlsoHasThePassword() throws Exception {
    assertAnswer(
        get(
            "/internal/v2.0/authentications/100000000044?expose_encrypted_attribute%5B%5D=password"),
        "application/json",
        "{\"id\":\"100000000044\",\"authtype\":\"cloud-meter-arn\","
            + "\"username\":\"arn:aws:iam::100000000044:role/redhat-cloud-meter\","
            + "\"password\":\"\",\"extra\":{\"external_id\":\"bench-external-id\"},"
            + "\"resource_type\":\"Application\",\"resource_id\":\"100000000044\"}");
  }

  @Test
  void assumeRoleLendsCredentialsOfTheRolesAccount() throws Exception {
    assertAnswer(
        post(
            "Action=AssumeRole&Version=2011-06-15&RoleSessionName=cloudoreg-999999999999"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A100000000045%3Arole%2Fredhat-cloud-meter"
                + "&ExternalId=bench-external-id&DurationSeconds=900",
            "AWS4-HMAC-SHA256 Credential=AKIACLOUDOREGSERVICE/20300101/us-east-1/sts/aws4_request,"
                + " SignedHeaders=host;x-amz-date, Signature=0f1e"),
        "text/xml",
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><Credentials><AccessKeyId>ASIA100000000045</AccessKeyId>"
            + "<SecretAccessKey>bench-secret</SecretAccessKey>"
            + "<SessionToken>cloudoreg-test-session-token-Qm5v8</SessionToken>"
            + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
            + "<AssumedRoleUser>"
            + "<Arn>arn:aws:sts::100000000045:assumed-role/redhat-cloud-meter/cloudoreg-100000000045"
            + "</Arn><AssumedRoleId>AROABENCH:cloudoreg</AssumedRoleId></AssumedRoleUser>"
            + "</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
            + "</AssumeRoleResponse>");
  }

  private static void assertAnswer(HttpResponse<String> answer, String contentType, String body) {
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().allValues("Content-Type")).containsExactly(contentType);
    assertThat(answer.body()).isEqualTo(body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(peers.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A call as the AWS SDK makes it: a form and a SigV4 {@code Authorization}. */
  private HttpResponse<String> post(String form, String authorization) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(peers.baseUrl() + "/"))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
