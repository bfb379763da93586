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
import static org.assertj.core.api.Assertions.entry;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.InTurn;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ApplicationAuthentication.create} end to end: a real event on the real broker, the
 * packaged service on Liberty, stand-ins for Sources, STS and RHSM, the status read back from the
 * real status topic.
 */
@ExtendWith(StackExtension.class)
class CreateFlowIT {
  private final Stack stack;
  private final Events events;
  private final CustomerSource customer;
  private final long applicationId;
  private final long authenticationId;
  private final long sourceId;
  private final String orgId;
  private final String awsAccount;
  private final String roleArn;
  private final String externalId;

  CreateFlowIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
    this.customer = new CustomerSource(stack, events);
    this.applicationId = customer.applicationId;
    this.authenticationId = customer.authenticationId;
    this.sourceId = customer.sourceId;
    this.orgId = customer.orgId;
    this.awsAccount = customer.awsAccount;
    this.roleArn = customer.roleArn;
    this.externalId = customer.externalId;
  }

  @BeforeEach
  void cloudMeterApplication() {
    stack.resetPeers();
    customer.inSources();
  }

  @AfterEach
  void closeProducer() {
    events.close();
  }

  @Test
  void verifiedRoleBecomesTrustAndAvailable() {
    stack.sts.trusts(roleArn, externalId);

    sendCreate();

    ConsumerRecord<String, String> status = awaitStatuses(1).get(0);
    assertThat(status.value())
        .isEqualTo(
            "{\"resource_type\":\"Application\",\"resource_id\":\""
                + applicationId
                + "\",\"status\":\"available\",\"error\":\"\"}");
    assertThat(Ledger.header(status, "x-rh-sources-account-number")).contains("1234567");
    stack
        .rhsm
        .server()
        .verify(
            1,
            postRequestedFor(urlEqualTo(RhsmStub.ACCOUNTS))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(orgId))
                .withHeader("Content-Type", containing("application/json"))
                .withoutHeader("X-RhApiPlatform-CallContext")
                .withRequestBody(
                    equalToJson(
                        "[{\"id\":\""
                            + awsAccount
                            + "\",\"nickname\":\"\",\"verified\":true,"
                            + "\"sourceId\":\""
                            + sourceId
                            + "\"}]")));
    stack
        .sources
        .server()
        .verify(
            getRequestedFor(
                    urlPathEqualTo(SourcesStub.PUBLIC_API + "/authentications/" + authenticationId))
                .withHeader("x-rh-sources-psk", equalTo(Stack.PSK))
                .withHeader("x-rh-sources-org-id", equalTo(orgId))
                .withoutHeader("x-rh-identity"));
    // least privilege: the secret field is asked for only when username holds no ARN
    stack
        .sources
        .server()
        .verify(
            0,
            getRequestedFor(
                urlPathEqualTo(SourcesStub.INTERNAL_API + "/authentications/" + authenticationId)));
  }

  @Test
  void applicationOfAnotherTypeIsLeftAlone() {
    stack.sources.application(orgId, applicationId, sourceId, "99");
    stack.sts.trusts(roleArn, externalId);

    sendCreate();
    awaitMarkerOfSameTenant();

    assertThat(stack.ledger.statusesFor(applicationId)).isEmpty();
    assertThat(stack.rhsm.registrations(orgId)).hasSize(1); // the marker's alone
    assertThat(stack.sts.assumeRoleRequests(roleArn)).isEmpty();
  }

  @Test
  void otherEventTypesAreAcknowledgedWithoutAnyCall() {
    stack.sts.trusts(roleArn, externalId);
    var headers = customer.createHeaders();
    for (String type :
        List.of(
            "Source.create",
            "Application.update",
            "Records.update",
            "ApplicationAuthentication.destroy")) {
      headers.put("event_type", type);
      events.send(orgId, headers, customer.createBody());
    }
    awaitMarkerOfSameTenant();

    assertThat(stack.ledger.statusesFor(applicationId)).isEmpty();
    stack
        .sources
        .server()
        .verify(
            0,
            getRequestedFor(
                urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + applicationId)));
  }

  @Test
  void deletedApplicationEndsWithoutStatus() {
    stack.sources.applicationAnswers(applicationId, stack.sources.notFound());

    sendCreate();
    awaitMarkerOfSameTenant();

    assertThat(stack.ledger.statusesFor(applicationId)).isEmpty();
  }

  /**
   * The authentication deleted, and the application without another (as Sources holds it once the
   * customer deleted it: not read, not listed).
   */
  @Test
  void missingAuthenticationIsCg2000() {
    stack.sources.destroyAuthentication(orgId, authenticationId);

    sendCreate();

    assertUnavailable("CG2000");
  }

  @Test
  void refusedAssumeRoleIsCg3002() {
    stack.sts.refuses(roleArn, 403, "Sender", "AccessDenied");

    sendCreate();

    assertUnavailable("CG3002");
    assertThat(stack.sts.assumeRoleRequests(roleArn))
        .as("a customer's refusal is not retried")
        .hasSize(1);
    assertThat(stack.rhsm.registrations(orgId)).isEmpty();
  }

  @Test
  void invalidArnIsCg1004WithoutCallingAws() {
    String wrong = "arn:aws:iam::12345:role/redhat-cloud-meter";
    stack.sources.authentication(
        orgId, authenticationId, AuthenticationSpec.arn(wrong, externalId, applicationId));

    sendCreate();

    assertUnavailable("CG1004");
    assertThat(stack.sts.requestCount()).isZero();
  }

  @Test
  void assumeRoleCarriesExternalIdSessionNameAndAPolicyGrantingNothing() {
    stack.sts.trusts(roleArn, externalId);

    sendCreate();

    assertAvailable();
    var assume = stack.sts.assumeRoleRequests(roleArn);
    assertThat(assume).hasSize(1);
    assertThat(stack.sts.requestCount()).as("AssumeRole's answer is the verification").isEqualTo(1);
    assertThat(assume.get(0).getBodyAsString())
        .contains("ExternalId=" + externalId)
        .contains("RoleSessionName=cloudoreg-" + awsAccount)
        .contains("Policy=" + StsStub.encode(StsStub.DENY_ALL));
    assertThat(assume.get(0).getHeader("Authorization"))
        .contains("Credential=" + StsStub.SERVICE_ACCESS_KEY_ID + "/");
  }

  /** aws-sts.md: the borrowed credentials serve no call, so we ask for the minimum, 900 s. */
  @Test
  void assumeRoleAsksForTheMinimumDuration() {
    stack.sts.trusts(roleArn, externalId);

    sendCreate();

    assertAvailable();
    assertThat(stack.sts.durationSeconds(roleArn))
        .containsExactly(Optional.of(StsStub.DURATION_SECONDS));
  }

  @Test
  void identityOfAnotherAccountIsCg3003() {
    stack.sts.trustsAs(
        roleArn,
        externalId,
        "arn:aws:sts::999999999999:assumed-role/redhat-cloud-meter/cloudoreg-" + awsAccount);

    sendCreate();

    assertUnavailable("CG3003");
    assertThat(stack.rhsm.registrations(orgId)).isEmpty();
  }

  @Test
  void conflictWithTheSameSourceIsAvailable() {
    stack.sts.trusts(roleArn, externalId);
    stack.rhsm.holds(orgId, RhsmStub.AWS, awsAccount, Long.toString(sourceId));

    sendCreate();

    assertAvailable();
    assertThat(stack.rhsm.heldFor(orgId)).containsOnly(entry(awsAccount, Long.toString(sourceId)));
  }

  /**
   * The org added the account by hand in Cloud Access (no source): it trusts the account already
   * (outcomes.md: "trusted"). Today's service reads the null source as another source's and reports
   * CG1001.
   */
  @Test
  void conflictWithAHandAddedAccountIsAvailable() {
    stack.sts.trusts(roleArn, externalId);
    stack.rhsm.holds(orgId, RhsmStub.AWS, awsAccount, null);

    sendCreate();

    assertAvailable();
    assertThat(stack.rhsm.heldFor(orgId)).containsOnly(entry(awsAccount, null));
  }

  @Test
  void conflictWithAnotherSourceOfTheOrgIsCg1001() {
    stack.sts.trusts(roleArn, externalId);
    stack.rhsm.holds(orgId, RhsmStub.AWS, awsAccount, "777");

    sendCreate();

    assertUnavailable("CG1001");
  }

  @Test
  void aRoleWithoutExternalIdIsNeverNewlyTrustedWithoutAskingAws() {
    noExternalId();

    sendCreate();

    assertThat(assertUnavailable("CG2005")).contains("external ID");
    assertThat(stack.sts.assumeRoleRequests(roleArn)).as("no point asking STS").isEmpty();
    assertThat(stack.rhsm.registrations(orgId)).isEmpty();
  }

  @Test
  void aRoleWithoutExternalIdIsNotKeptForTrustAnotherSourceOfTheOrgHolds() {
    noExternalId();
    stack.rhsm.holds(orgId, RhsmStub.AWS, awsAccount, "777");

    sendCreate();

    assertUnavailable("CG2005");
    assertThat(stack.rhsm.heldFor(orgId)).containsOnly(entry(awsAccount, "777"));
  }

  @Test
  void aRoleWithoutExternalIdKeepsTheTrustThisVerySourceHolds() {
    noExternalId();
    stack.rhsm.holds(orgId, RhsmStub.AWS, awsAccount, Long.toString(sourceId));

    sendCreate();

    assertAvailable();
    assertThat(stack.sts.assumeRoleRequests(roleArn)).as("the role must still work").hasSize(1);
  }

  /** The source's authentication has no external id (sources of before 2024-08). */
  private void noExternalId() {
    stack.sources.authentication(
        orgId, authenticationId, AuthenticationSpec.arn(roleArn, null, applicationId));
    stack.sts.trusts(roleArn, null);
  }

  @Test
  void conflictWithAnotherOrgIsCg1002WithoutNamingIt() {
    stack.sts.trusts(roleArn, externalId);
    stack.rhsm.holds("another-org-" + orgId, RhsmStub.AWS, awsAccount, "9");

    sendCreate();

    String error = assertUnavailable("CG1002");
    assertThat(error).doesNotContain("another-org");
    assertThat(stack.rhsm.heldFor(orgId)).isEmpty();
  }

  @Test
  void rhsmFailingTwiceIsRetriedToAvailable() {
    stack.sts.trusts(roleArn, externalId);
    InTurn.answer(
        stack.rhsm.server(),
        () -> RhsmStub.registration(orgId, awsAccount),
        RhsmStub.error(503, "{\"error\":{\"code\":503,\"message\":\"down\"}}"),
        RhsmStub.error(500, "{\"error\":{\"code\":500,\"message\":\"down\"}}"),
        aResponse().withStatus(204));

    sendCreate();

    assertAvailable();
    assertThat(stack.rhsm.registrations(orgId)).hasSize(3);
  }

  @Test
  void duplicateCreateStaysAvailable() {
    stack.sts.trusts(roleArn, externalId);

    sendCreate();
    sendCreate();

    List<ConsumerRecord<String, String>> statuses = awaitStatuses(2);
    assertThat(statuses)
        .extracting(ConsumerRecord::value)
        .allMatch(value -> value.contains("\"status\":\"available\""));
    assertThat(stack.rhsm.registrations(orgId)).hasSize(2);
  }

  @Test
  void orgOnlyRetryEventTakesTheOrgFromHeadersAndSendsNoAccount() {
    stack.sts.trusts(roleArn, externalId);
    var sample = stack.samples.object("event-applicationauthentication-create-org-only-retry.json");
    var headers =
        Events.createHeaders(orgId, "", sample.getJsonObject("headers").getString("x-rh-identity"));

    events.send(orgId, headers, customer.createBody());

    ConsumerRecord<String, String> status = awaitStatuses(1).get(0);
    assertThat(status.value()).contains("\"status\":\"available\"");
    assertThat(Ledger.header(status, "x-rh-sources-account-number")).isEmpty();
    stack
        .sources
        .server()
        .verify(
            getRequestedFor(
                    urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + applicationId))
                .withHeader("x-rh-sources-org-id", equalTo(orgId))
                .withoutHeader("x-rh-sources-account-number"));
  }

  @Test
  void orgIdComesFromTheIdentityWhenTheHeaderIsMissing() {
    stack.sts.trusts(roleArn, externalId);
    var headers = Events.createHeaders(null, null, Identities.user(orgId, "1234567"));

    events.send(orgId, headers, customer.createBody());

    ConsumerRecord<String, String> status = awaitStatuses(1).get(0);
    assertThat(Ledger.header(status, "x-rh-sources-org-id")).contains(orgId);
  }

  private void sendCreate() {
    customer.sendCreate();
  }

  private void awaitMarkerOfSameTenant() {
    customer.awaitMarkerOfSameTenant();
  }

  private void assertAvailable() {
    customer.awaitAvailable();
  }

  private String assertUnavailable(String code) {
    return customer.awaitUnavailable(code);
  }

  private List<ConsumerRecord<String, String>> awaitStatuses(int count) {
    return customer.awaitStatuses(count);
  }
}
