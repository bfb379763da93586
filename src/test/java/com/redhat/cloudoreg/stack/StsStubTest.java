package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The STS stand-in refuses what STS refuses, and records what breaks our rules for calling it. */
class StsStubTest {
  private static final String ROLE = "arn:aws:iam::480126387441:role/rh-cloud-meter";
  private static final String EXTERNAL_ID = "5d0e1c7a-93b2-4f6e-8a41-2c97f1b06e55";
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}";
  private static StsStub sts;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sts = new StsStub(Ports.free());
  }

  @AfterAll
  static void stop() {
    sts.close();
  }

  @BeforeEach
  void reset() {
    sts.reset();
    sts.violations().take();
    sts.trusts(ROLE, EXTERNAL_ID);
  }

  @Test
  void assumeRoleAndCallerIdentityAsTheServiceMustSendThemPass() throws Exception {
    HttpResponse<String> assumed = send(assumeRole(), StsStub.SERVICE_ACCESS_KEY_ID, null);
    String temporaryKey = between(assumed.body(), "<AccessKeyId>", "</AccessKeyId>");
    HttpResponse<String> caller = send(callerIdentity(), temporaryKey, StsStub.SESSION_TOKEN);

    assertThat(assumed.statusCode()).isEqualTo(200);
    assertThat(caller.statusCode()).isEqualTo(200);
    assertThat(caller.body()).contains("<Account>480126387441</Account>");
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void wrongVersionIsRefused() throws Exception {
    Map<String, String> form = assumeRole();
    form.put("Version", "2011-06-16");

    HttpResponse<String> answer = send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidAction</Code>");
    assertThat(sts.violations().take()).hasSize(1);
  }

  @Test
  void badSessionNameIsRefused() throws Exception {
    Map<String, String> form = assumeRole();
    form.put("RoleSessionName", "cloudoreg 480126387441");

    HttpResponse<String> answer = send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>ValidationError</Code>");
    assertThat(sts.violations().take()).singleElement().asString().contains("roleSessionName");
  }

  @Test
  void wrongExternalIdIsAccessDeniedAsAwsAnswers() throws Exception {
    Map<String, String> form = assumeRole();
    form.put("ExternalId", "someone-elses-external-id");

    HttpResponse<String> answer = send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);
    form.remove("ExternalId");
    HttpResponse<String> without = send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("<Code>AccessDenied</Code>");
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(sts.violations().take()).as("the customer's setup, not our fault").isEmpty();
  }

  @Test
  void temporaryCredentialsWithoutTheirTokenAreRefused() throws Exception {
    HttpResponse<String> assumed = send(assumeRole(), StsStub.SERVICE_ACCESS_KEY_ID, null);
    String temporaryKey = between(assumed.body(), "<AccessKeyId>", "</AccessKeyId>");

    HttpResponse<String> answer = send(callerIdentity(), temporaryKey, null);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("<Code>InvalidClientTokenId</Code>");
    assertThat(sts.violations().take()).singleElement().asString().contains("security token");
  }

  @Test
  void sessionPolicyAllowingMoreIsAViolation() throws Exception {
    Map<String, String> form = assumeRole();
    form.put("Policy", POLICY.replace("\"sts:GetCallerIdentity\"", "\"sts:*\""));

    send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);
    form.remove("Policy");
    send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);

    assertThat(sts.violations().take())
        .hasSize(2)
        .allSatisfy(violation -> assertThat(violation).contains("session policy"));
  }

  @Test
  void durationIsRecordedAndOnlyTheMinimumIsAccepted() throws Exception {
    send(assumeRole(), StsStub.SERVICE_ACCESS_KEY_ID, null);
    Map<String, String> form = assumeRole();
    form.put("DurationSeconds", "900");
    send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);
    form.put("DurationSeconds", "3600");
    send(form, StsStub.SERVICE_ACCESS_KEY_ID, null);

    assertThat(sts.durationSeconds(ROLE))
        .containsExactly(Optional.empty(), Optional.of(900), Optional.of(3600));
    assertThat(sts.violations().take()).singleElement().asString().contains("DurationSeconds 3600");
  }

  private static Map<String, String> assumeRole() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "AssumeRole");
    form.put("Version", StsStub.VERSION);
    form.put("RoleArn", ROLE);
    form.put("RoleSessionName", "cloudoreg-480126387441");
    form.put("ExternalId", EXTERNAL_ID);
    form.put("Policy", POLICY);
    return form;
  }

  private static Map<String, String> callerIdentity() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", "GetCallerIdentity");
    form.put("Version", StsStub.VERSION);
    return form;
  }

  /** A request as the SDK sends it; the stand-in reads the signature's key id, not its value. */
  private HttpResponse<String> send(Map<String, String> form, String accessKeyId, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sts.url() + "/"))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + accessKeyId
                    + "/20250211/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date,"
                    + " Signature=0123456789abcdef")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    form.entrySet().stream()
                        .map(e -> StsStub.encode(e.getKey()) + "=" + StsStub.encode(e.getValue()))
                        .collect(Collectors.joining("&"))));
    if (token != null) {
      request.header("X-Amz-Security-Token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }
}
