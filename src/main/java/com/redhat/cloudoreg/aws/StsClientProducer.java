package com.redhat.cloudoreg.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
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
    return build(
        Region.of(region),
        timeout,
        UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout));
  }

  /**
   * The STS client as the service configures it. The SDK builds its HTTP client from {@code http}
   * and closes it with the STS client (one given ready-built it would leave open). Also what the
   * benchmark's {@code StsClientCost} measures each HTTP client in.
   */
  public static StsClient build(Region region, Duration timeout, SdkHttpClient.Builder<?> http) {
    return StsClient.builder()
        .region(region)
        .httpClientBuilder(http)
        .overrideConfiguration(
            config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout))
        .build();
  }

  void close(@Disposes StsClient client) {
    client.close();
  }
}
