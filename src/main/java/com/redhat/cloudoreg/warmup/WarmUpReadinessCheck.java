package com.redhat.cloudoreg.warmup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the warm-up is over: the first event after ready is served as fast as the others.
 * Once over it stays UP; how it went is in the data.
 */
@Readiness
@ApplicationScoped
public class WarmUpReadinessCheck implements HealthCheck {
  private final WarmUp warmUp;

  @Inject
  public WarmUpReadinessCheck(WarmUp warmUp) {
    this.warmUp = warmUp;
  }

  protected WarmUpReadinessCheck() {
    this(null);
  }

  @Override
  public HealthCheckResponse call() {
    String result = warmUp.result();
    return HealthCheckResponse.named("warm-up")
        .status(result != null)
        .withData("result", result == null ? "running" : result)
        .build();
  }
}
