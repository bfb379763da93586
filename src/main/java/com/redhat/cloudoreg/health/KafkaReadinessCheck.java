package com.redhat.cloudoreg.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Kafka answers and our consumer is in its group. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
  private final KafkaProbe kafka;

  @Inject
  public KafkaReadinessCheck(KafkaProbe kafka) {
    this.kafka = kafka;
  }

  protected KafkaReadinessCheck() {
    this(null);
  }

  @Override
  public HealthCheckResponse call() {
    KafkaProbe.View view = kafka.view();
    return HealthCheckResponse.named("kafka")
        .status(view.reachable() && view.member())
        .withData("reachable", view.reachable())
        .withData("consumer-in-group", view.member())
        .withData("assigned-partitions", view.assignedPartitions())
        .withData("detail", view.detail())
        .build();
  }
}
