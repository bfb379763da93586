package com.redhat.cloudoreg.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one STS client of the application, and with it the one HTTP client and connection pool every
 * verification shares (the warm-up's in-memory one apart). Credentials come from the SDK's default
 * chain and the endpoint from the SDK's own settings ({@code AWS_ENDPOINT_URL_STS}), so tests point
 * it at a stub without code of ours. The SDK does not retry: the verifier's fault tolerance owns
 * the whole retry budget, so attempts are counted once instead of multiplied.
 */
@ApplicationScoped
public class StsClientProducer {
  @Produces
  @ApplicationScoped
  StsClient stsClient(
      @ConfigProperty(name = "AWS_REGION", defaultValue = "us-east-1") String region,
      @ConfigProperty(name = "CLOUDOREG_STS_CALL_TIMEOUT_MS", defaultValue = "4000") long timeoutMs,
      @ConfigProperty(name = "CLOUDOREG_MAX_IN_FLIGHT", defaultValue = "64") int inFlight) {
    Duration timeout = Duration.ofMillis(timeoutMs);
    // Apache HttpClient, chosen by measurement (bench/StsClientCost, docs/benchmarks.md; shared
    // machine, load 4.8-6, 3 rounds of 2,000 verifications after 2,000 of warm-up, the server's JVM
    // options): per verification 595 us of JVM CPU (595-740) against url-connection's 1,015
    // (905-1,150), wall 1.5 ms against 3.1. aws-crt was as cheap (580 us) but brings native code,
    // a 23 MB jar and threads of its own. One connection per event in flight, kept for the next.
    return build(
        Region.of(region),
        timeout,
        ApacheHttpClient.builder()
            .connectionTimeout(timeout)
            .socketTimeout(timeout)
            .maxConnections(inFlight));
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
