package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StatusRules;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ApplicationAuthentication.create} end to end: a real event on the real broker, the
 * packaged service on Liberty, stand-ins for Sources, STS and RHSM, the status read back from
 * the real status topic.
 */
@ExtendWith(StackExtension.class)
class CreateFlowIT {
  private static final AtomicLong IDS = new AtomicLong(1000);
  private static final Duration STATUS_WAIT = Duration.ofSeconds(30);

  private final Stack stack;
  private final Events events;
  private final long applicationId = IDS.incrementAndGet();
  private final long authenticationId = IDS.incrementAndGet() + 50_000;
  private final long sourceId = IDS.incrementAndGet() + 90_000;
  private final String orgId = "org" + applicationId;
  private final String awsAccount = String.format("%012d", 100_000_000_000L + applicationId);
  private final String roleArn = "arn:aws:iam::" + awsAccount + ":role/redhat-cloud-meter";
  private final String externalId = "a2f8ec37-6d74-4af8-9e92-" + String.format("%012d", applicationId);

  CreateFlowIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void cloudMeterApplication() {
    stack.resetPeers();
    stack.sources.application(applicationId, sourceId, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.authentication(
        authenticationId, AuthenticationSpec.arn(roleArn, externalId, applicationId));
  }

  @AfterEach
  void everyStatusFollowsSourcesRules() {
    events.close();
    for (ConsumerRecord<String, String> status : stack.ledger.statuses()) {
      assertThat(StatusRules.violations(status)).as("status %s", status.value()).isEmpty();
    }
    assertThat(stack.sources.violations()).as("requests against Sources' OpenAPI").isEmpty();
  }

  @Test
  void verifiedRoleBecomesTrustAndAvailable() {
    stack.sts.trusts(roleArn, externalId);

    sendCreate();

    ConsumerRecord<String, String> status = awaitStatuses(1).get(0);
    assertThat(status.value())
        .isEqualTo(
            "{\"resource_type\":\"Application\",\"resource_id\":\"" + applicationId
                + "\",\"status\":\"available\",\"error\":\"\"}");
    assertThat(Ledger.header(status, "x-rh-sources-account-number")).contains("1234567");
    stack.rhsm.server().verify(
        1,
        postRequestedFor(urlEqualTo(RhsmStub.ACCOUNTS))
            .withHeader(RhsmStub.ORG_HEADER, equalTo(orgId))
            .withHeader("Content-Type", containing("application/json"))
            .withoutHeader("X-RhApiPlatform-CallContext")
            .withRequestBody(
                equalToJson(
                    "[{\"id\":\"" + awsAccount + "\",\"nickname\":\"\",\"verified\":true,"
                        + "\"sourceId\":\"" + sourceId + "\"}]")));
    stack.sources.server().verify(
        getRequestedFor(urlPathEqualTo(SourcesStub.INTERNAL_API + "/authentications/" + authenticationId))
            .withQueryParam("expose_encrypted_attribute[]", equalTo("password"))
            .withHeader("x-rh-sources-psk", equalTo(Stack.PSK))
            .withHeader("x-rh-sources-org-id", equalTo(orgId))
            .withoutHeader("x-rh-identity"));
  }

  private void sendCreate() {
    events.send(
        orgId,
        Events.createHeaders(orgId, "1234567", Identities.user(orgId, "1234567")),
        Events.createBody(applicationId + 7, applicationId, authenticationId));
  }

  private List<ConsumerRecord<String, String>> awaitStatuses(int count) {
    await()
        .atMost(STATUS_WAIT)
        .until(() -> stack.ledger.statusesFor(applicationId).size() >= count);
    return stack.ledger.statusesFor(applicationId);
  }
}
