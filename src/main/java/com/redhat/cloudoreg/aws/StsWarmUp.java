package com.redhat.cloudoreg.aws;

import com.redhat.cloudoreg.policy.Guard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
 * Runs one whole verification (its one AssumeRole and the identity check on the answer) through the
 * AWS SDK without a network: an STS client of its own whose transport answers from memory. It loads
 * and runs what a first event would otherwise pay for (request marshalling, SigV4 signing, XML
 * unmarshalling, our classification) and talks to nobody.
 */
public final class StsWarmUp {
  static final String ACCOUNT = "123456789012";
  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final String ASSUME_ROLE =
      "<AssumeRoleResponse xmlns=\""
          + NS
          + "\"><AssumeRoleResult><Credentials>"
          + "<AccessKeyId>ASIACLOUDOREGWARMUP</AccessKeyId><SecretAccessKey>warm-up-only</SecretAccessKey>"
          + "<SessionToken>warm-up-only</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>"
          + "</Credentials><AssumedRoleUser><Arn>arn:aws:sts::"
          + ACCOUNT
          + ":assumed-role/cloudoreg-warm-up/cloudoreg-"
          + ACCOUNT
          + "</Arn><AssumedRoleId>AROACLOUDOREGWARMUP:cloudoreg</AssumedRoleId></AssumedRoleUser>"
          + "</AssumeRoleResult><ResponseMetadata><RequestId>warm-up</RequestId></ResponseMetadata>"
          + "</AssumeRoleResponse>";

  private StsWarmUp() {}

  /** Verifies a made-up role against the in-memory STS; throws if the SDK path is broken. */
  public static void run(Region region) {
    try (StsClient offline =
        StsClient.builder()
            .region(region)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIACLOUDOREGWARMUP", "warm-up-only")))
            .httpClient(new InMemory())
            .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      new StsVerifier(offline, Guard.none())
          .verify(
              RoleArn.parse("arn:aws:iam::" + ACCOUNT + ":role/cloudoreg-warm-up"),
              Optional.of("cloudoreg-warm-up"),
              false);
    }
  }

  /** Answers AssumeRole as STS would, from memory; the verification makes no other call. */
  private static final class InMemory implements SdkHttpClient {
    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          String body = "";
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
          }
          if (!body.contains("Action=AssumeRole&")) {
            throw new IOException("the in-memory STS answers AssumeRole only");
          }
          byte[] answer = ASSUME_ROLE.getBytes(StandardCharsets.UTF_8);
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "text/xml")
                      .putHeader("Content-Length", Integer.toString(answer.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
