package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What is not ours stays untouched: a Google source (Sources marks it itself) and another
 * application type of the same source get no status and cost no call to RHSM, STS or Azure; a check
 * of a source reports its Cloud Meter application alone, whoever asks (a user in the UI, or
 * Sources' monitor with a {@code System} identity), on the path Sources calls today.
 */
@ExtendWith(StackExtension.class)
class GoogleAndOtherTypesIT {
  /** The path in Sources' {@code CLOUD_METER_AVAILABILITY_CHECK_URL} today. */
  private static final String LEGACY_AVAILABILITY =
      "/internal/api/cloudigrade/v1/availability_status";

  /** Cost Management's application type id in this Sources. */
  private static final String COST_MANAGEMENT_TYPE_ID = "2";

  private final Stack stack;
  private final Events events;

  GoogleAndOtherTypesIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void freshPeers() {
    stack.resetPeers();
  }

  @AfterEach
  void closeProducer() {
    events.close();
  }

  @Test
  void googleSourceCheckedAndUnpausedGetsNoStatusAndCallsNoOne() {
    CustomerSource google = new CustomerSource(stack, events);
    stack.sources.application(
        google.orgId, google.applicationId, google.sourceId, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.source(google.orgId, google.sourceId, "google");

    HttpResponse<String> answer = google.askAvailabilityCheck(stack.server());
    assertThat(answer.statusCode()).isEqualTo(202);
    google.send(
        EventTypes.APPLICATION_UNPAUSE, google.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    CustomerSource marker = markerOfSameTenant(google);

    assertThat(google.statuses()).as("Sources marks Google sources itself").isEmpty();
    assertOnlyTheMarkerReachedThePeers(marker);
    assertThat(stack.ledger.deadLetters())
        .noneMatch(
            letter ->
                letter.value() != null
                    && letter.value().contains("\"id\":" + google.applicationId + ","));
  }

  @Test
  void checkOnSourcesPathReportsOnlyTheCloudMeterApplicationForUserAndSystemCallers() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    long costManagement = customer.applicationId + 5;
    stack.sources.application(
        customer.orgId, costManagement, customer.sourceId, COST_MANAGEMENT_TYPE_ID);
    String body = "{\"source_id\":\"" + customer.sourceId + "\"}";

    // the customer pressed "check availability" in the UI
    HttpResponse<String> byUser =
        stack
            .server()
            .postPrivate(
                LEGACY_AVAILABILITY,
                body,
                Map.of(
                    "x-rh-sources-org-id",
                    customer.orgId,
                    "x-rh-sources-account-number",
                    CustomerSource.ACCOUNT_NUMBER,
                    "x-rh-identity",
                    Identities.user(customer.orgId, CustomerSource.ACCOUNT_NUMBER)));
    assertThat(byUser.statusCode()).isBetween(200, 299);
    awaitStatuses(customer, 1);

    // Sources' monitor: its own System identity, and an empty account number as Sources sends it
    HttpResponse<String> bySystem =
        stack
            .server()
            .postPrivate(
                LEGACY_AVAILABILITY,
                body,
                Map.of(
                    "x-rh-sources-org-id",
                    customer.orgId,
                    "x-rh-sources-account-number",
                    "",
                    "x-rh-identity",
                    Identities.system(customer.orgId)));
    assertThat(bySystem.statusCode()).isBetween(200, 299);
    awaitStatuses(customer, 2);
    markerOfSameTenant(customer);

    List<ConsumerRecord<String, String>> statuses = customer.statuses();
    assertThat(statuses).as("exactly one status per check").hasSize(2);
    statuses.forEach(
        status -> assertThat(status.value()).contains("\"status\":\"available\",\"error\":\"\""));
    assertThat(stack.ledger.statusesFor(costManagement)).as("not Cloud Meter").isEmpty();
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsEntry(customer.awsAccount, Long.toString(customer.sourceId));
    assertThat(stack.azure.resourceManager().findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  private static void awaitStatuses(CustomerSource customer, int count) {
    await().atMost(CustomerSource.STATUS_WAIT).until(() -> customer.statuses().size() >= count);
  }

  /**
   * A later create of the same tenant, verified and trusted: once its status is out, everything
   * sent or submitted for the tenant before it has been handled.
   */
  private CustomerSource markerOfSameTenant(CustomerSource earlier) {
    CustomerSource marker = new CustomerSource(stack, events, earlier).trusting();
    marker.sendCreate();
    marker.awaitAvailable();
    return marker;
  }

  private void assertOnlyTheMarkerReachedThePeers(CustomerSource marker) {
    List<LoggedRequest> rhsm = stack.rhsm.server().findAll(anyRequestedFor(anyUrl()));
    assertThat(rhsm)
        .as("RHSM: the marker's registration alone")
        .singleElement()
        .satisfies(request -> assertThat(request.getBodyAsString()).contains(marker.awsAccount));
    // the marker's verification: its one AssumeRole
    List<LoggedRequest> sts = stack.sts.server().findAll(anyRequestedFor(anyUrl()));
    assertThat(sts)
        .as("STS: the marker's verification alone")
        .singleElement()
        .satisfies(
            request ->
                assertThat(request.getBodyAsString())
                    .contains("Action=AssumeRole", StsStub.encode(marker.roleArn)));
    assertThat(stack.azure.entraId().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    assertThat(stack.azure.resourceManager().findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }
}
