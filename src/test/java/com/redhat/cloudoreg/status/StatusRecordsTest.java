package com.redhat.cloudoreg.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class StatusRecordsTest {
  private static final Tenant TENANT = new Tenant("7654321", Optional.of("1234567"));

  @Test
  void availableMatchesTheContractSample() {
    ProducerRecord<String, String> record =
        StatusRecords.of("platform.sources.status", TENANT, 101, Outcome.TRUSTED).orElseThrow();

    assertThat(record.topic()).isEqualTo("platform.sources.status");
    assertThat(record.key()).isEqualTo("7654321");
    assertThat(record.value())
        .isEqualTo(
            "{\"resource_type\":\"Application\",\"resource_id\":\"101\",\"status\":\"available\",\"error\":\"\"}");
    assertThat(header(record, "event_type")).isEqualTo("availability_status");
    assertThat(header(record, "x-rh-sources-org-id")).isEqualTo("7654321");
    assertThat(header(record, "x-rh-sources-account-number")).isEqualTo("1234567");
    assertThat(record.headers().lastHeader("x-rh-identity")).isNull();
  }

  @Test
  void unavailableStartsWithItsCodeAndLeavesOutAnUnknownAccount() {
    Tenant orgOnly = new Tenant("7654321", Optional.empty());
    ProducerRecord<String, String> record =
        StatusRecords.of("s", orgOnly, 101, Outcome.ROLE_NOT_ASSUMABLE).orElseThrow();

    assertThat(record.value())
        .startsWith(
            "{\"resource_type\":\"Application\",\"resource_id\":\"101\",\"status\":\"unavailable\",\"error\":\"CG3002: ");
    assertThat(record.headers().lastHeader("x-rh-sources-account-number")).isNull();
  }

  @Test
  void outcomesWithoutStatusPublishNothing() {
    assertThat(StatusRecords.of("s", TENANT, 101, Outcome.NOT_OURS)).isEmpty();
    assertThat(StatusRecords.of("s", TENANT, 101, Outcome.APPLICATION_GONE)).isEmpty();
  }

  private static String header(ProducerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
