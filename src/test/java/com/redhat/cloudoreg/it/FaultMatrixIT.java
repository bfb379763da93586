package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.redhat.cloudoreg.stack.StackExtension.ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.InTurn;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What each peer's failure ends in, and how often it was tried: transient failures are retried
 * (first attempt plus three retries) and then reported as temporary with a dead letter for replay;
 * a customer's refusal or our own rejected credentials are never retried. Every case ends with a
 * succeeding create of the same org, proving its partition moved on.
 */
@ExtendWith(StackExtension.class)
class FaultMatrixIT {
  private static final int SLOW_MS = StackExtension.TIMEOUT_MS + 1500;
  private static final int BREAKER_DELAY_MS = StackExtension.BREAKER_DELAY_MS;

  private final Stack stack;
  private final Events events;
  private final CustomerSource customer;

  FaultMatrixIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
    this.customer = new CustomerSource(stack, events);
  }

  @BeforeEach
  void customerWithTrustingRole() {
    stack.resetPeers();
    customer.trusting();
  }

  @AfterEach
  void partitionMovedOn() {
    customer.awaitMarkerOfSameTenant();
    events.close();
  }

  // Sources, once the application is known to be Cloud Meter's (its authentication read fails)

  @Test
  void sources500IsRetriedThenTemporary() {
    stack.sources.authenticationAnswers(customer.authenticationId, status(500));
    assertTemporaryWithDeadLetter();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS);
  }

  @Test
  void sources503IsRetriedThenTemporary() {
    stack.sources.authenticationAnswers(customer.authenticationId, status(503));
    assertTemporaryWithDeadLetter();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS);
  }

  @Test
  void sourcesTimeoutIsRetriedThenTemporary() {
    stack.sources.authenticationAnswers(
        customer.authenticationId, status(200).withFixedDelay(SLOW_MS));
    assertTemporaryWithDeadLetter();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS);
  }

  @Test
  void sourcesDroppedConnectionIsRetriedThenTemporary() {
    stack.sources.authenticationAnswers(
        customer.authenticationId, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertTemporaryWithDeadLetter();
    // Liberty's REST client transport (Apache HttpClient) itself re-sends an idempotent GET up
    // to 3 times on a reset connection, inside each of our attempts; later Liberty releases turn
    // that off (OpenLiberty/open-liberty#34055). A refused connection is not re-sent.
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS * 4);
  }

  @Test
  void sourcesRefusingOurPskIsOursNotRetried() {
    stack.sources.authenticationAnswers(
        customer.authenticationId,
        status(401)
            .withBody(
                "{\"errors\":[{\"detail\":\"Unauthorized Action: Incorrect PSK\",\"status\":\"401\"}]}"));
    assertTemporaryWithDeadLetter();
    assertThat(authenticationReads()).isEqualTo(1);
  }

  // Sources, before the application's type is known: no verdict, the event waits

  @Test
  void sourcesDownBeforeTheTypeIsKnownPublishesNothingAndTheEventWaitsUntilItHeals() {
    String path = SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId;
    ResponseDefinitionBuilder[] answers = new ResponseDefinitionBuilder[2 * ATTEMPTS + 1];
    java.util.Arrays.fill(answers, status(503));
    answers[2 * ATTEMPTS] =
        stack.sources.applicationBody(customer.applicationId, customer.sourceId);
    InTurn.answer(
        stack.sources.server(),
        () -> com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path)),
        answers);

    customer.sendCreate();

    customer.awaitAvailable();
    assertThat(customer.statuses()).as("never a CG3100 while the type was unknown").hasSize(1);
    assertThat(customer.deadLetters()).isEmpty();
    assertThat(applicationReads())
        .as("two whole attempts of %d reads failed, the third read it, then the fence", ATTEMPTS)
        .isEqualTo(2 * ATTEMPTS + 2);
  }

  @Test
  void sourcesTransientFailureThatHealsIsAvailable() {
    String path = SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId;
    InTurn.answer(
        stack.sources.server(),
        () -> com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo(path)),
        status(503),
        stack.sources.applicationBody(customer.applicationId, customer.sourceId));
    customer.sendCreate();
    customer.awaitAvailable();
    // the failed read, the retried one, and the late-writer fence's read after registering
    assertThat(applicationReads()).isEqualTo(3);
  }

  // STS

  @Test
  void stsThrottlingIsRetriedThenTemporary() {
    stack.sts.refuses(customer.roleArn, 400, "Sender", "Throttling");
    assertTemporaryWithDeadLetter();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS);
  }

  @Test
  void stsThrottlingThatEndsIsAvailable() {
    InTurn.answer(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        StsStub.error(400, "Sender", "Throttling"),
        StsStub.error(400, "Sender", "Throttling"),
        stack.sts.assumedRole(customer.roleArn));
    customer.sendCreate();
    customer.awaitAvailable();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(3);
  }

  @Test
  void sts500IsRetriedThenTemporary() {
    stack.sts.refuses(customer.roleArn, 500, "Receiver", "InternalFailure");
    assertTemporaryWithDeadLetter();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS);
  }

  @Test
  void stsRefusingOurTokenIsNeverTheCustomersFault() {
    stack.sts.refuses(customer.roleArn, 403, "Sender", "InvalidClientTokenId");
    assertTemporaryWithDeadLetter();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(1);
  }

  @Test
  void stsExpiredTokenIsNeverTheCustomersFault() {
    stack.sts.refuses(customer.roleArn, 400, "Sender", "ExpiredToken");
    assertTemporaryWithDeadLetter();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(1);
  }

  @Test
  void stsAccessDeniedIsTheCustomersRoleNotRetried() {
    stack.sts.refuses(customer.roleArn, 403, "Sender", "AccessDenied");
    customer.sendCreate();
    customer.awaitUnavailable("CG3002");
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(1);
    assertThat(customer.deadLetters()).isEmpty();
  }

  @Test
  void slowStsPastTheTimeoutIsRetriedThenTemporary() {
    stack
        .sts
        .server()
        .stubFor(
            post(urlEqualTo("/"))
                .atPriority(1)
                .withRequestBody(
                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "RoleArn=" + StsStub.encode(customer.roleArn)))
                .willReturn(
                    StsStub.error(500, "Receiver", "InternalFailure").withFixedDelay(SLOW_MS)));
    assertTemporaryWithDeadLetter();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS);
  }

  // RHSM

  @Test
  void rhsm500IsRetriedThenTemporary() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(500));
    assertTemporaryWithDeadLetter();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(ATTEMPTS);
  }

  @Test
  void rhsmTimeoutIsRetriedThenTemporary() {
    stack.rhsm.registrationsAnswer(
        customer.orgId, customer.awsAccount, aResponse().withStatus(204).withFixedDelay(SLOW_MS));
    assertTemporaryWithDeadLetter();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(ATTEMPTS);
  }

  @Test
  void rhsm401IsOurCertificateNotRetried() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(401));
    assertTemporaryWithDeadLetter();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void rhsm403IsOurCertificateNotRetried() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(403));
    assertTemporaryWithDeadLetter();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void rhsm400IsARefusalNotRetried() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(400));
    customer.sendCreate();
    customer.awaitUnavailable("CG1007");
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void rhsmConflictListingFailingIsRetriedThenTemporary() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, stack.rhsm.conflict());
    stack
        .rhsm
        .server()
        .stubFor(
            com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(RhsmStub.ENABLED))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId))
                .willReturn(rhsmError(503)));
    assertTemporaryWithDeadLetter();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void rhsmBreakerOpensOnAnOutageAndClosesWhenRhsmIsBack() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(500));
    // a full window of failures: three events of four attempts each
    for (int event = 1; event <= 3; event++) {
      customer.sendCreate();
      customer.awaitStatuses(event);
    }
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(3 * ATTEMPTS);

    CustomerSource healthy = new CustomerSource(stack, events, customer).trusting();
    healthy.sendCreate();
    healthy.awaitUnavailable("CG3100");
    assertThat(stack.rhsm.registrations(healthy.orgId, healthy.awsAccount))
        .as("the open breaker spares RHSM")
        .isEmpty();
    var ready = stack.server().get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("RhsmGateway.addAccount");

    // the breaker lets a trial call through once its delay has passed
    org.awaitility.Awaitility.await()
        .pollDelay(Duration.ofMillis(BREAKER_DELAY_MS + 200))
        .until(() -> true);
    CustomerSource afterOutage = new CustomerSource(stack, events, customer).trusting();
    afterOutage.sendCreate();
    afterOutage.awaitAvailable();
    assertThat(stack.server().get("/health/ready").statusCode()).isEqualTo(200);
  }

  private void assertTemporaryWithDeadLetter() {
    customer.sendCreate();
    customer.awaitUnavailable("CG3100");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !customer.deadLetters().isEmpty());
    var letter = customer.deadLetters().get(0);
    assertThat(Ledger.header(letter, "cloudoreg-error"))
        .get()
        .asString()
        .startsWith("retry budget spent");
    assertThat(letter.key()).isEqualTo(customer.orgId);
    assertThat(Ledger.header(letter, "x-rh-identity")).as("kept for replay").isPresent();
  }

  private int authenticationReads() {
    return stack
        .sources
        .server()
        .findAll(
            getRequestedFor(
                urlPathEqualTo(
                    SourcesStub.PUBLIC_API + "/authentications/" + customer.authenticationId)))
        .size();
  }

  private int applicationReads() {
    return stack
        .sources
        .server()
        .findAll(
            getRequestedFor(
                urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId)))
        .size();
  }

  private static ResponseDefinitionBuilder status(int status) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(
            status == 200
                ? "{\"id\":\"1\",\"source_id\":\"1\",\"application_type_id\":\"5\"}"
                : "{\"errors\":[{\"detail\":\"failure\",\"status\":\"" + status + "\"}]}");
  }

  private static ResponseDefinitionBuilder rhsmError(int status) {
    return RhsmStub.error(status, "{\"error\":{\"code\":" + status + ",\"message\":\"failure\"}}");
  }
}
