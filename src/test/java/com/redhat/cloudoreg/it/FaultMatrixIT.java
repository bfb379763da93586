package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.redhat.cloudoreg.stack.StackExtension.ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.InTurn;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What each peer's failure ends in, and how often it was tried. A transient failure is retried
 * inside an attempt (first call plus three retries); a customer's refusal or our own rejected
 * credentials are not. Either way, once the application is known to be ours, what is ours to finish
 * is told once (CG3100) and tried again until the peer heals — then the verdict follows, and
 * nothing waits for an operator (no dead letter). Every case ends with a succeeding create of the
 * same org, proving its partition moved on.
 */
@ExtendWith(StackExtension.class)
class FaultMatrixIT {
  private static final int SLOW_MS = StackExtension.TIMEOUT_MS + 1500;

  /** A throttling peer's wait: far beyond this stack's pauses (50 ms per call, 0.2 s per event). */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

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
  void sources500IsRetriedToldOnceAndFinishedWhenSourcesHeals() {
    // no other event's read in flight as the counts are taken: it would be timed, not read, here
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lastAuthenticationRead().isBefore(Instant.now().minusSeconds(1)));
    int readsBefore = everyAuthenticationRead();
    double callsBefore = authenticationCallsTimed();
    InTurn.failFirst(stack.sources.server(), this::authenticationRead, ATTEMPTS, status(500));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS + 1);
    double timed = authenticationCallsTimed() - callsBefore;
    int othersRead = everyAuthenticationRead() - readsBefore - authenticationReads();
    // the others' calls are at most their reads, so this customer's are at least timed - othersRead
    assertThat(timed - othersRead)
        .as("calls timed for this customer's %d reads: 2, the first with its retries", ATTEMPTS + 1)
        .isLessThanOrEqualTo(2);
  }

  private Instant lastAuthenticationRead() {
    return stack
        .sources
        .server()
        .findAll(getRequestedFor(urlPathMatching(SourcesStub.PUBLIC_API + "/authentications/\\d+")))
        .stream()
        .map(read -> read.getLoggedDate().toInstant())
        .max(Comparator.naturalOrder())
        .orElse(Instant.EPOCH);
  }

  /** {@code cloudoreg_peer_call_duration_seconds_count} of Sources' authentication reads. */
  private double authenticationCallsTimed() {
    return stack
        .server()
        .metric(
            "cloudoreg_peer_call_duration_seconds_count",
            "call",
            "authentication",
            "peer",
            "sources");
  }

  /** Sources' reads of any authentication, as the stand-in received them. */
  private int everyAuthenticationRead() {
    return stack
        .sources
        .server()
        .findAll(getRequestedFor(urlPathMatching(SourcesStub.PUBLIC_API + "/authentications/\\d+")))
        .size();
  }

  @Test
  void sources503IsRetriedToldOnceAndFinishedWhenSourcesHeals() {
    InTurn.failFirst(stack.sources.server(), this::authenticationRead, ATTEMPTS, status(503));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS + 1);
  }

  @Test
  void sourcesTimeoutIsRetriedToldOnceAndFinishedWhenSourcesHeals() {
    InTurn.failFirst(
        stack.sources.server(),
        this::authenticationRead,
        ATTEMPTS,
        status(200).withFixedDelay(SLOW_MS));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS + 1);
  }

  @Test
  void sourcesDroppedConnectionIsRetriedToldOnceAndFinishedWhenSourcesHeals() {
    // Liberty's REST client transport (Apache HttpClient) itself re-sends an idempotent GET up
    // to 3 times on a reset connection, inside each of our attempts; later Liberty releases turn
    // that off (OpenLiberty/open-liberty#34055). A refused connection is not re-sent.
    InTurn.failFirst(
        stack.sources.server(),
        this::authenticationRead,
        ATTEMPTS * 4,
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(ATTEMPTS * 4 + 1);
  }

  @Test
  void sourcesRefusingOurPskIsOursNotRetriedInPlaceButFinishedLater() {
    InTurn.failFirst(
        stack.sources.server(),
        this::authenticationRead,
        1,
        status(401)
            .withBody(
                "{\"errors\":[{\"detail\":\"Unauthorized Action: Incorrect PSK\",\"status\":\"401\"}]}"));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(2);
  }

  @Test
  void sourcesAnswerThatDoesNotReadIsOursNotRetriedInPlaceButFinishedLater() throws IOException {
    // a 200 whose body stops short of JSON: outside Sources' contract, which the same call will
    // not mend; never the customer's fault, never logged as Sources unreachable
    InTurn.failFirst(
        stack.sources.server(),
        this::authenticationRead,
        1,
        okJson("{\"id\":\"" + customer.authenticationId + "\",\"authtype\":"));
    assertToldOnceThenFinished();
    assertThat(authenticationReads()).isEqualTo(2);
    Path log = stack.server().logs().resolve("messages.log");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Files.readString(log))
                    .contains(
                        "UnexpectedAnswer: Sources answered what its contract does not allow: a"
                            + " body we cannot read"));
  }

  @Test
  void sources429IsAskedAgainNoSoonerThanItsRetryAfterAndFinishedWhenItEnds() {
    InTurn.failFirst(
        stack.sources.server(),
        this::authenticationRead,
        1,
        status(429).withHeader("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
    assertThrottledOnceThenFinished(this::authenticationReadRequests);
  }

  // Sources, before the application's type is known: no verdict, the event waits

  @Test
  void sourcesDownBeforeTheTypeIsKnownPublishesNothingAndTheEventWaitsUntilItHeals() {
    InTurn.failFirst(stack.sources.server(), this::applicationRead, 2 * ATTEMPTS, status(503));

    customer.sendCreate();

    customer.awaitAvailable();
    assertThat(customer.statuses()).as("never a CG3100 while the type was unknown").hasSize(1);
    assertThat(customer.deadLetters()).isEmpty();
    assertThat(applicationReads())
        .as("two whole attempts of %d reads failed, the third read it", ATTEMPTS)
        .isEqualTo(2 * ATTEMPTS + 1);
  }

  @Test
  void sourcesTransientFailureThatHealsIsAvailable() {
    InTurn.failFirst(stack.sources.server(), this::applicationRead, 1, status(503));
    customer.sendCreate();
    customer.awaitAvailable();
    assertThat(applicationReads()).as("the failed read and the retried one").isEqualTo(2);
  }

  // STS

  @Test
  void stsThrottlingIsRetriedToldOnceAndFinishedWhenItEnds() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        ATTEMPTS,
        StsStub.error(400, "Sender", "Throttling"));
    assertToldOnceThenFinished();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS + 1);
  }

  @Test
  void stsThrottlingThatEndsWithinTheRetryBudgetIsAvailable() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        2,
        StsStub.error(400, "Sender", "Throttling"));
    customer.sendCreate();
    customer.awaitAvailable();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(3);
  }

  @Test
  void sts500IsRetriedToldOnceAndFinishedWhenStsHeals() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        ATTEMPTS,
        StsStub.error(500, "Receiver", "InternalFailure"));
    assertToldOnceThenFinished();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS + 1);
  }

  @Test
  void stsRefusingOurTokenIsNeverTheCustomersFault() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        1,
        StsStub.error(403, "Sender", "InvalidClientTokenId"));
    assertToldOnceThenFinished();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(2);
  }

  @Test
  void stsExpiredTokenIsNeverTheCustomersFault() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        1,
        StsStub.error(400, "Sender", "ExpiredToken"));
    assertToldOnceThenFinished();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(2);
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
  void slowStsPastTheTimeoutIsRetriedToldOnceAndFinishedWhenStsHeals() {
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(customer.roleArn),
        ATTEMPTS,
        StsStub.error(500, "Receiver", "InternalFailure").withFixedDelay(SLOW_MS));
    assertToldOnceThenFinished();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).hasSize(ATTEMPTS + 1);
  }

  // RHSM

  @Test
  void rhsm500IsRetriedToldOnceAndFinishedWhenRhsmHeals() {
    InTurn.failFirst(stack.rhsm.server(), this::registration, ATTEMPTS, rhsmError(500));
    assertToldOnceThenFinished();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(ATTEMPTS + 1);
  }

  @Test
  void rhsmTimeoutIsRetriedToldOnceAndFinishedWhenRhsmHeals() {
    InTurn.failFirst(
        stack.rhsm.server(),
        this::registration,
        ATTEMPTS,
        aResponse().withStatus(204).withFixedDelay(SLOW_MS));
    assertToldOnceThenFinished();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(ATTEMPTS + 1);
  }

  @Test
  void rhsm429IsAskedAgainNoSoonerThanItsRetryAfterAndFinishedWhenItEnds() {
    InTurn.failFirst(
        stack.rhsm.server(),
        this::registration,
        1,
        rhsmError(429).withHeader("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
    assertThrottledOnceThenFinished(
        () -> stack.rhsm.registrations(customer.orgId, customer.awsAccount));
  }

  @Test
  void rhsm401IsOurCertificateNotRetriedInPlaceButFinishedLater() {
    InTurn.failFirst(stack.rhsm.server(), this::registration, 1, rhsmError(401));
    assertToldOnceThenFinished();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(2);
  }

  @Test
  void rhsm403IsOurCertificateNotRetriedInPlaceButFinishedLater() {
    InTurn.failFirst(stack.rhsm.server(), this::registration, 1, rhsmError(403));
    assertToldOnceThenFinished();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(2);
  }

  @Test
  void rhsm400IsARefusalNotRetried() {
    stack.rhsm.registrationsAnswer(customer.orgId, customer.awsAccount, rhsmError(400));
    customer.sendCreate();
    customer.awaitUnavailable("CG1007");
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void rhsmConflictListingFailingIsRetriedToldOnceAndFinishedWhenRhsmHeals() {
    // a duplicate create: the org holds the account through this source already (409)
    stack.rhsm.orgHolds(customer.orgId, customer.awsAccount, Long.toString(customer.sourceId));
    InTurn.failFirst(
        stack.rhsm.server(),
        () ->
            com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(RhsmStub.ENABLED))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId)),
        ATTEMPTS,
        rhsmError(503));
    assertToldOnceThenFinished();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(2);
  }

  @Test
  void rhsmBreakerOpensOnAnOutageClosesWhenRhsmIsBackAndEveryoneIsFinished() {
    stack
        .rhsm
        .server()
        .stubFor(post(urlEqualTo(RhsmStub.ACCOUNTS)).atPriority(1).willReturn(rhsmError(500)));
    // a full window of failures: three orgs' creates of four attempts each
    java.util.List<CustomerSource> failing = new java.util.ArrayList<>();
    for (int org = 0; org < 3; org++) {
      CustomerSource source = new CustomerSource(stack, events).trusting();
      failing.add(source);
      source.sendCreate();
      source.awaitUnavailable("CG3100");
    }
    CustomerSource healthy = new CustomerSource(stack, events).trusting();
    healthy.sendCreate();
    healthy.awaitUnavailable("CG3100");
    assertThat(stack.rhsm.registrations(healthy.orgId, healthy.awsAccount))
        .as("the open breaker spares RHSM")
        .isEmpty();
    var ready = stack.server().get("/health/ready");
    assertThat(ready.statusCode())
        .as("a peer's outage is every pod's: no reason to leave the Service")
        .isEqualTo(200);
    assertThat(ready.body()).contains("Breakers.rhsm");

    // RHSM back: the breaker lets a trial call through once its delay has passed, and every
    // create that was told CG3100 is finished without anyone's help
    stack.rhsm.reset();
    failing.add(healthy);
    for (CustomerSource source : failing) {
      org.awaitility.Awaitility.await()
          .atMost(CustomerSource.STATUS_WAIT)
          .until(() -> source.statuses().size() == 2);
      assertThat(source.statuses().get(1).value())
          .contains("\"status\":\"available\",\"error\":\"\"");
      assertThat(source.deadLetters()).isEmpty();
    }
    // the breaker lets the first new call try it once its delay has passed, and closes
    org.awaitility.Awaitility.await()
        .pollDelay(Duration.ofMillis(StackExtension.BREAKER_DELAY_MS + 200))
        .until(() -> true);
    CustomerSource afterOutage = new CustomerSource(stack, events).trusting();
    afterOutage.sendCreate();
    afterOutage.awaitAvailable();
    assertThat(stack.server().get("/health/ready").body()).doesNotContain("Breakers.rhsm");
  }

  /**
   * The create is told CG3100 once — with its own text: nothing is wrong with the customer's
   * settings — and, the peer healed, finished as available; nothing is left for an operator.
   */
  private void assertToldOnceThenFinished() {
    customer.sendCreate();
    org.awaitility.Awaitility.await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> customer.statuses().size() == 2);
    assertThat(customer.statuses().get(0).value())
        .contains("\"status\":\"unavailable\",\"error\":\"CG3100: ");
    assertThat(customer.statuses().get(1).value())
        .contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(customer.deadLetters()).as("no operator needed").isEmpty();
  }

  /**
   * The create, throttled once by the call {@code journal} lists, is finished as available (waited
   * for on the status itself); the stand-in received that call again no sooner than the {@code
   * Retry-After} after the throttled one — neither the call's own retry (50 ms on this stack) nor
   * the event's next attempt (0.2 s) came sooner; meanwhile the customer was told CG3100 once.
   */
  private void assertThrottledOnceThenFinished(Supplier<List<LoggedRequest>> journal) {
    customer.sendCreate();
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .untilAsserted(
            () ->
                assertThat(customer.statuses())
                    .extracting(ConsumerRecord::value)
                    .last()
                    .asString()
                    .contains("\"status\":\"available\",\"error\":\"\""));
    List<Instant> received =
        journal.get().stream().map(call -> call.getLoggedDate().toInstant()).sorted().toList();
    assertThat(received).as("the throttled call and the one after it").hasSize(2);
    assertThat(Duration.between(received.get(0), received.get(1)))
        .as("asked again no sooner than Retry-After said")
        .isGreaterThanOrEqualTo(RETRY_AFTER);
    assertThat(customer.statuses())
        .extracting(ConsumerRecord::value)
        .hasSize(2)
        .first()
        .asString()
        .contains("\"status\":\"unavailable\",\"error\":\"CG3100: ");
    assertThat(customer.deadLetters()).as("no operator needed").isEmpty();
  }

  private com.github.tomakehurst.wiremock.client.MappingBuilder authenticationRead() {
    return com.github.tomakehurst.wiremock.client.WireMock.get(
        urlPathEqualTo(SourcesStub.PUBLIC_API + "/authentications/" + customer.authenticationId));
  }

  private com.github.tomakehurst.wiremock.client.MappingBuilder applicationRead() {
    return com.github.tomakehurst.wiremock.client.WireMock.get(
        urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId));
  }

  private com.github.tomakehurst.wiremock.client.MappingBuilder registration() {
    return RhsmStub.registration(customer.orgId, customer.awsAccount);
  }

  private int authenticationReads() {
    return authenticationReadRequests().size();
  }

  private List<LoggedRequest> authenticationReadRequests() {
    return stack
        .sources
        .server()
        .findAll(
            getRequestedFor(
                urlPathEqualTo(
                    SourcesStub.PUBLIC_API + "/authentications/" + customer.authenticationId)));
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
