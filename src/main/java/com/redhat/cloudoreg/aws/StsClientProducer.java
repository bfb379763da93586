package com.redhat.cloudoreg.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one STS client of the application. Credentials come from the SDK's default chain and the
 * endpoint from the SDK's own settings ({@code AWS_ENDPOINT_URL_STS}), so tests point it at a stub
 * without code of ours. The SDK does not retry: the verifier's fault tolerance owns the whole retry
 * budget, so attempts are counted once instead of multiplied.
 */
@ApplicationScoped
public class StsClientProducer {
  @Produces
  @ApplicationScoped
  StsClient stsClient(
      @ConfigProperty(name = "AWS_REGION", defaultValue = "us-east-1") String region,
      @ConfigProperty(name = "CLOUDOREG_STS_CALL_TIMEOUT_MS", defaultValue = "4000")
          long timeoutMs) {
    Duration timeout = Duration.ofMillis(timeoutMs);
    return StsClient.builder()
        .region(Region.of(region))
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(timeout)
                .socketTimeout(timeout)
                .build())
        .overrideConfiguration(
            config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout))
        .build();
  }

  void close(@Disposes StsClient client) {
    client.close();
  }
}
