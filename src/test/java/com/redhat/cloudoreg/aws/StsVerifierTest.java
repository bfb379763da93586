package com.redhat.cloudoreg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.redhat.cloudoreg.logging.CapturedLog;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Guard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The verification is AssumeRole's own answer: one call, and the identity STS vouches for in it
 * must be the ARN's role in the ARN's account. Runs the real AWS SDK against an STS that answers
 * from memory, as the warm-up does.
 */
class StsVerifierTest {
  private static final String ACCOUNT = "480126387441";
  private static final RoleArn ROLE =
      RoleArn.parse("arn:aws:iam::" + ACCOUNT + ":role/redhat-cloud-meter");
  private static final String EXTERNAL_ID = "5d0e1c7a-93b2-4f6e-8a41-2c97f1b06e55";
  private static final String OWN_ACCOUNT = "111111111111";

  /** aws-sts.md: the session policy grants nothing. */
  private static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";

  private CapturedLog log;

  @BeforeEach
  void captureLog() {
    log = CapturedLog.of(StsVerifier.class.getName());
  }

  @AfterEach
  void releaseLog() {
    log.release();
  }

  @Test
  void theRolesOwnIdentityIsVerifiedWithOneAssumeRole() {
    Sts sts = Sts.answering(assumedRole(assumed(ACCOUNT, "redhat-cloud-meter")));

    sts.verifier().verify(ROLE, Optional.of(EXTERNAL_ID), false);

    assertThat(sts.requests).hasSize(1);
    assertThat(sts.requests.get(0))
        .containsEntry("Action", "AssumeRole")
        .containsEntry("RoleArn", ROLE.value())
        .containsEntry("RoleSessionName", "cloudoreg-" + ACCOUNT)
        .containsEntry("ExternalId", EXTERNAL_ID)
        .containsEntry("DurationSeconds", "900")
        .containsEntry("Policy", DENY_ALL);
    assertThat(log.records()).as("nothing to say about a verified role").isEmpty();
  }

  @Test
  void withoutAnExternalIdNoneIsSent() {
    Sts sts = Sts.answering(assumedRole(assumed(ACCOUNT, "redhat-cloud-meter")));

    sts.verifier().verify(ROLE, Optional.empty(), false);

    assertThat(sts.requests)
        .singleElement()
        .satisfies(form -> assertThat(form).doesNotContainKey("ExternalId"));
  }

  @Test
  void theRolesPathIsNotPartOfTheAssumedIdentity() {
    Sts sts = Sts.answering(assumedRole(assumed(ACCOUNT, "redhat-cloud-meter")));

    sts.verifier()
        .verify(
            RoleArn.parse("arn:aws:iam::" + ACCOUNT + ":role/rh/metering/redhat-cloud-meter"),
            Optional.of(EXTERNAL_ID),
            false);

    assertThat(sts.requests).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:sts::999999999999:assumed-role/redhat-cloud-meter/cloudoreg-480126387441",
        "arn:aws:sts::480126387441:assumed-role/another-role/cloudoreg-480126387441",
        "arn:aws:sts::480126387441:assumed-role/redhat-cloud-meter-2/cloudoreg-480126387441",
        "arn:aws:sts::480126387441:assumed-role/redhat/cloudoreg-480126387441",
        "arn:aws-cn:sts::480126387441:assumed-role/redhat-cloud-meter/cloudoreg-480126387441",
        "arn:aws:iam::480126387441:role/redhat-cloud-meter",
        "arn:aws:sts::480126387441:federated-user/redhat-cloud-meter",
        "not an arn"
      })
  void anyOtherIdentityIsAMismatch(String vouchedFor) {
    Sts sts = Sts.answering(assumedRole(vouchedFor));

    assertThatThrownBy(() -> sts.verifier().verify(ROLE, Optional.of(EXTERNAL_ID), false))
        .isInstanceOfSatisfying(
            Rejection.class,
            rejection -> assertThat(rejection.outcome()).isEqualTo(Outcome.IDENTITY_MISMATCH))
        .hasMessageContaining(vouchedFor);
    assertThat(sts.requests).as("still one call").hasSize(1);
  }

  @Test
  void anAnswerWithoutAssumedRoleUserIsUnexpected() {
    Sts sts = Sts.answering(assumedRole(null));

    assertThatThrownBy(() -> sts.verifier().verify(ROLE, Optional.of(EXTERNAL_ID), false))
        .isInstanceOf(UnexpectedAnswer.class)
        .hasMessageContaining("AssumedRoleUser");
  }

  @Test
  void aRoleInOurOwnAccountIsVerifiedWithAWarning() {
    RoleArn ours = RoleArn.parse("arn:aws:iam::" + OWN_ACCOUNT + ":role/redhat-cloud-meter");
    Sts sts = Sts.answering(assumedRole(assumed(OWN_ACCOUNT, "redhat-cloud-meter")));
    StsVerifier verifier = sts.verifier();

    verifier.verify(ours, Optional.of(EXTERNAL_ID), false);
    verifier.verify(ours, Optional.of(EXTERNAL_ID), false);

    assertThat(log.records())
        .as("our account, read once, still ours at the second verification")
        .hasSize(2)
        .allSatisfy(
            warning -> {
              assertThat(warning.getLevel()).isEqualTo(Level.WARNING);
              assertThat(warning.getMessage()).contains("our own AWS account");
              assertThat(warning.getParameters()).containsExactly(ours);
            });
  }

  @Test
  void theWarmUpVerifiesThroughTheSdkWithoutANetwork() {
    StsWarmUp.run(Region.US_EAST_1);
  }

  private static String assumed(String account, String roleName) {
    return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/cloudoreg-" + account;
  }

  /** STS's answer to AssumeRole, its AssumedRoleUser naming {@code arn} (left out when null). */
  private static String assumedRole(String arn) {
    return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleResult><Credentials><AccessKeyId>ASIAEXAMPLECUSTOMER1</AccessKeyId>"
        + "<SecretAccessKey>temporary-secret</SecretAccessKey><SessionToken>token</SessionToken>"
        + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
        + (arn == null
            ? ""
            : "<AssumedRoleUser><Arn>"
                + arn
                + "</Arn><AssumedRoleId>AROAEXAMPLEROLEID:cloudoreg</AssumedRoleId>"
                + "</AssumedRoleUser>")
        + "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
        + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
        + "</ResponseMetadata></AssumeRoleResponse>";
  }

  /** An STS that answers every call with one 200 body and keeps each request's form. */
  private static final class Sts implements SdkHttpClient {
    final List<Map<String, String>> requests = new ArrayList<>();
    private final String answer;

    private Sts(String answer) {
      this.answer = answer;
    }

    static Sts answering(String answer) {
      return new Sts(answer);
    }

    /** A verifier whose STS client is ours, with our credentials naming our own account. */
    StsVerifier verifier() {
      return new StsVerifier(
          StsClient.builder()
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.builder()
                          .accessKeyId("AKIACLOUDOREGSERVICE")
                          .secretAccessKey("service-secret")
                          .accountId(OWN_ACCOUNT)
                          .build()))
              .httpClient(this)
              .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .build(),
          Guard.none());
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
            requests.add(form(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "text/xml")
                      .putHeader("Content-Length", Integer.toString(body.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    private static Map<String, String> form(String body) {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        String[] field = pair.split("=", 2);
        form.put(
            URLDecoder.decode(field[0], StandardCharsets.UTF_8),
            URLDecoder.decode(field.length > 1 ? field[1] : "", StandardCharsets.UTF_8));
      }
      return form;
    }

    @Override
    public void close() {}
  }
}
