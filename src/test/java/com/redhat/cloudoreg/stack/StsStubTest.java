package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.policy.Guard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The STS stand-in refuses what STS refuses, and records what breaks our rules for calling it. It
 * is called as the service calls it: through the AWS SDK's StsClient, which signs every request.
 */
class StsStubTest {
  private static final String ACCOUNT = "480126387441";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/rh-cloud-meter";
  private static final String EXTERNAL_ID = "5d0e1c7a-93b2-4f6e-8a41-2c97f1b06e55";
  private static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  private static StsStub sts;
  private final List<StsClient> clients = new ArrayList<>();

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

  @AfterEach
  void closeClients() {
    clients.forEach(StsClient::close);
  }

  @Test
  void theServicesVerificationPassesWithOneCallAndNoViolation() {
    new StsVerifier(client(ourCredentials()), Guard.none())
        .verify(RoleArn.parse(ROLE), Optional.of(EXTERNAL_ID), false);

    assertThat(sts.requestCount()).isEqualTo(1);
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void assumeRoleAnswersWithTheRolesOwnSession() {
    var answer = client(ourCredentials()).assumeRole(assumeRole().build());

    assertThat(answer.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/rh-cloud-meter/cloudoreg-" + ACCOUNT);
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void ourKeyWithAWrongSecretIsSignatureDoesNotMatch() {
    StsClient wrongSecret =
        client(
            credentials(StsStub.SERVICE_ACCESS_KEY_ID, "not-" + StsStub.SERVICE_SECRET_ACCESS_KEY));

    assertRefused(() -> wrongSecret.assumeRole(assumeRole().build()), "SignatureDoesNotMatch");
    assertThat(sts.violations().take()).as("STS's answer, not our rule broken").isEmpty();
  }

  @Test
  void aRequestSignedForAnotherRegionIsSignatureDoesNotMatch() {
    StsClient otherRegion = client(ourCredentials(), Region.EU_WEST_1);

    assertRefused(() -> otherRegion.assumeRole(assumeRole().build()), "SignatureDoesNotMatch");
  }

  @Test
  void anUnknownKeyIsInvalidClientTokenId() {
    StsClient unknown =
        client(credentials("AKIASOMEONEELSE00001", StsStub.SERVICE_SECRET_ACCESS_KEY));

    assertRefused(() -> unknown.assumeRole(assumeRole().build()), "InvalidClientTokenId");
    assertThat(sts.violations().take()).as("STS's answer, not our rule broken").isEmpty();
  }

  @Test
  void anUnsignedRequestIsRefused() {
    StsClient anonymous = client(AnonymousCredentialsProvider.create());

    assertRefused(() -> anonymous.assumeRole(assumeRole().build()), "MissingAuthenticationToken");
    assertThat(sts.violations().take()).singleElement().asString().contains("Authentication");
  }

  @Test
  void wrongVersionIsRefused() throws Exception {
    HttpResponse<String> answer =
        signedPost(
            "Action=AssumeRole&Version=2011-06-16&RoleArn="
                + StsStub.encode(ROLE)
                + "&RoleSessionName=cloudoreg-"
                + ACCOUNT
                + "&ExternalId="
                + EXTERNAL_ID
                + "&DurationSeconds=900&Policy="
                + StsStub.encode(DENY_ALL));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidAction</Code>");
    assertThat(sts.violations().take()).singleElement().asString().contains("version");
  }

  @Test
  void theSignersRequestAsTheSdkSendsItPasses() throws Exception {
    HttpResponse<String> answer =
        signedPost(
            "Action=AssumeRole&Version=2011-06-15&RoleArn="
                + StsStub.encode(ROLE)
                + "&RoleSessionName=cloudoreg-"
                + ACCOUNT
                + "&ExternalId="
                + EXTERNAL_ID
                + "&DurationSeconds=900&Policy="
                + StsStub.encode(DENY_ALL));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void badSessionNameIsRefused() {
    StsClient service = client(ourCredentials());

    assertRefused(
        () -> service.assumeRole(assumeRole().roleSessionName("cloudoreg " + ACCOUNT).build()),
        "ValidationError");
    assertThat(sts.violations().take()).singleElement().asString().contains("roleSessionName");
  }

  @Test
  void wrongOrMissingExternalIdIsAccessDeniedAsAwsAnswers() {
    StsClient service = client(ourCredentials());

    assertRefused(
        () -> service.assumeRole(assumeRole().externalId("someone-elses-external-id").build()),
        "AccessDenied");
    assertRefused(() -> service.assumeRole(assumeRole().externalId(null).build()), "AccessDenied");
    assertThat(sts.violations().take()).as("the customer's setup, not our fault").isEmpty();
  }

  /**
   * A hold (as FleetIT orders a check's verification after another replica's change) keeps the held
   * grant's AssumeRole until its condition holds, and answers the role's next grant at once.
   */
  @Test
  void aHeldGrantIsAnsweredOnlyOnceItsConditionHoldsAndTheRolesNextGrantAtOnce() {
    AtomicBoolean landed = new AtomicBoolean();
    sts.trustsOnce(ROLE, EXTERNAL_ID, landed::get);
    StsClient service = client(ourCredentials());
    CompletableFuture<String> held =
        CompletableFuture.supplyAsync(
            () -> service.assumeRole(assumeRole().build()).assumedRoleUser().arn());
    await().atMost(Duration.ofSeconds(10)).until(() -> sts.held(ROLE) == 1);

    String nextExternalId = "0c4e5b1d-7f2a-4e8b-9d36-51a0c8e2f7b4";
    sts.trusts(ROLE, nextExternalId);
    assertThat(service.assumeRole(assumeRole().externalId(nextExternalId).build()).credentials())
        .isNotNull();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .alias("still held: its condition does not hold")
        .until(() -> !held.isDone());

    landed.set(true);
    assertThat(held)
        .succeedsWithin(Duration.ofSeconds(10))
        .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/rh-cloud-meter/cloudoreg-" + ACCOUNT);
    assertThat(sts.held(ROLE)).isZero();
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void aHeldRefusalIsAnsweredOnlyOnceItsConditionHolds() {
    AtomicBoolean landed = new AtomicBoolean();
    sts.refusesOnce(ROLE, EXTERNAL_ID, 403, "Sender", "AccessDenied", landed::get);
    StsClient service = client(ourCredentials());
    CompletableFuture<String> held =
        CompletableFuture.supplyAsync(
            () -> service.assumeRole(assumeRole().build()).assumedRoleUser().arn());
    await().atMost(Duration.ofSeconds(10)).until(() -> sts.held(ROLE) == 1);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> !held.isDone());

    landed.set(true);
    assertThat(held)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StsException.class,
            refused -> assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
  }

  /** Never the ended test's answer: its trust could write into the next test's stand-ins. */
  @Test
  void aRequestStillHeldAtResetIsAnsweredUnavailable() {
    sts.trustsOnce(ROLE, EXTERNAL_ID, () -> false);
    StsClient service = client(ourCredentials());
    CompletableFuture<String> held =
        CompletableFuture.supplyAsync(
            () -> service.assumeRole(assumeRole().build()).assumedRoleUser().arn());
    await().atMost(Duration.ofSeconds(10)).until(() -> sts.held(ROLE) == 1);

    sts.reset();

    assertThat(held)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            StsException.class, unavailable -> assertThat(unavailable.statusCode()).isEqualTo(503));
    assertThat(sts.held(ROLE)).isZero();
    assertThat(sts.requestCount()).as("the journal cleared after it").isZero();
  }

  @Test
  void aRotatedExternalIdIsAcceptedBesideTheOldOne() {
    String rotated = "0c4e5b1d-7f2a-4e8b-9d36-51a0c8e2f7b4";
    StsClient service = client(ourCredentials());
    assertRefused(
        () -> service.assumeRole(assumeRole().externalId(rotated).build()), "AccessDenied");

    sts.trustsAlso(ROLE, rotated);

    assertThat(service.assumeRole(assumeRole().externalId(rotated).build()).credentials())
        .isNotNull();
    assertThat(service.assumeRole(assumeRole().build()).credentials()).isNotNull();
    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void aPolicyGrantingAnythingOrNoneIsAViolation() {
    StsClient service = client(ourCredentials());

    service.assumeRole(
        assumeRole()
            .policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}")
            .build());
    service.assumeRole(
        assumeRole()
            .policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
                    + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}")
            .build());
    service.assumeRole(assumeRole().policy(null).build());

    assertThat(sts.violations().take())
        .hasSize(3)
        .allSatisfy(violation -> assertThat(violation).contains("session policy must deny"));
  }

  @Test
  void aDenyAllPolicyWrittenAnotherWayIsFine() {
    client(ourCredentials())
        .assumeRole(
            assumeRole()
                .policy(
                    "{ \"Version\": \"2012-10-17\", \"Statement\": { \"Effect\": \"Deny\","
                        + " \"Action\": [\"*\"], \"Resource\": \"*\" } }")
                .build());

    assertThat(sts.violations().take()).isEmpty();
  }

  @Test
  void missingDurationSecondsIsAViolation() {
    client(ourCredentials()).assumeRole(assumeRole().durationSeconds(null).build());

    assertThat(sts.durationSeconds(ROLE)).containsExactly(Optional.empty());
    assertThat(sts.violations().take()).singleElement().asString().contains("DurationSeconds null");
  }

  @Test
  void durationOtherThanTheMinimumIsAViolation() {
    client(ourCredentials()).assumeRole(assumeRole().durationSeconds(3600).build());

    assertThat(sts.durationSeconds(ROLE)).containsExactly(Optional.of(3600));
    assertThat(sts.violations().take()).singleElement().asString().contains("DurationSeconds 3600");
  }

  @Test
  void getCallerIdentityIsAViolation() {
    StsClient service = client(ourCredentials());

    assertThatThrownBy(service::getCallerIdentity).isInstanceOf(StsException.class);

    assertThat(sts.violations().take())
        .singleElement()
        .asString()
        .contains("GetCallerIdentity: AssumeRole is the only STS call");
  }

  /** AssumeRole as the service sends it. */
  private static AssumeRoleRequest.Builder assumeRole() {
    return AssumeRoleRequest.builder()
        .roleArn(ROLE)
        .roleSessionName("cloudoreg-" + ACCOUNT)
        .externalId(EXTERNAL_ID)
        .durationSeconds(900)
        .policy(DENY_ALL);
  }

  private static void assertRefused(Runnable call, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StsException.class,
            refused -> assertThat(refused.awsErrorDetails().errorCode()).isEqualTo(code));
  }

  private static AwsCredentialsProvider ourCredentials() {
    return credentials(StsStub.SERVICE_ACCESS_KEY_ID, StsStub.SERVICE_SECRET_ACCESS_KEY);
  }

  private static AwsCredentialsProvider credentials(String accessKeyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
  }

  private StsClient client(AwsCredentialsProvider credentials) {
    return client(credentials, Region.of(StsStub.REGION));
  }

  /** An SDK client of the stand-in, as the service's but for its credentials and region. */
  private StsClient client(AwsCredentialsProvider credentials, Region region) {
    StsClient client =
        StsClient.builder()
            .region(region)
            .endpointOverride(URI.create(sts.url()))
            .credentialsProvider(credentials)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    clients.add(client);
    return client;
  }

  /**
   * A form the SDK would never send, signed with our key as the SDK signs, by its own signer; for
   * what an SDK client cannot be made to send.
   */
  private static HttpResponse<String> signedPost(String form) throws Exception {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create(sts.url() + "/"))
            .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .build();
    SdkHttpRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                sign ->
                    sign.identity(
                            AwsCredentialsIdentity.create(
                                StsStub.SERVICE_ACCESS_KEY_ID, StsStub.SERVICE_SECRET_ACCESS_KEY))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, StsStub.REGION)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts"))
            .request();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.getUri()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> request.header(name, value));
              }
            });
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
