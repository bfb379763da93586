package com.redhat.cloudoreg.status;

import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.outcome.Availability;
import com.redhat.cloudoreg.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds the Kafka record of a status message as Sources' listener requires: {@code event_type}
 * exactly {@code availability_status}, the tenant in Sources' own headers (never {@code
 * x-rh-identity}, which would replace them), and the org id as key so one tenant's statuses stay in
 * order.
 */
public final class StatusRecords {
  public static final String EVENT_TYPE = "availability_status";

  private StatusRecords() {}

  /** The record to publish, or empty when the outcome reports nothing to Sources. */
  public static Optional<ProducerRecord<String, String>> of(
      String topic, Tenant tenant, long applicationId, Outcome outcome) {
    return outcome
        .availability()
        .map(availability -> build(topic, tenant, applicationId, availability, outcome));
  }

  private static ProducerRecord<String, String> build(
      String topic, Tenant tenant, long applicationId, Availability availability, Outcome outcome) {
    var record =
        new ProducerRecord<>(
            topic, tenant.orgId(), StatusMessage.of(applicationId, availability, outcome).toJson());
    record.headers().add("event_type", bytes(EVENT_TYPE));
    record.headers().add("x-rh-sources-org-id", bytes(tenant.orgId()));
    tenant
        .accountNumber()
        .ifPresent(account -> record.headers().add("x-rh-sources-account-number", bytes(account)));
    return record;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
