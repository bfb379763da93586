package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.InTurn;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Trust in step with the source's life: destroy, update, pause, unpause, availability checks. */
@ExtendWith(StackExtension.class)
class LifecycleIT {
  private static final String AVAILABILITY = "/internal/v1/availability_status";

  private final Stack stack;
  private final Events events;
  private final CustomerSource customer;

  LifecycleIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
    this.customer = new CustomerSource(stack, events);
  }

  @BeforeEach
  void trustingCustomer() {
    stack.resetPeers();
    customer.trusting();
  }

  @AfterEach
  void closeProducer() {
    events.close();
  }

  /**
   * An availability check verifying an application that is destroyed meanwhile, and RHEL management
   * added back to the source with the same role before the check's write lands: the check's fence
   * finds its application gone and takes the source's trust back — what the added-back application
   * justifies too — then, once that landed, finds that application and verifies it, which registers
   * the account again and tells its verdict.
   */
  @Test
  void aChecksTakeBackThatFindsTheSourceWithACloudMeterApplicationAgainVerifiesIt() {
    AtomicBoolean addedBackInSources = new AtomicBoolean();
    stack.sts.trustsOnce(customer.roleArn, customer.externalId, addedBackInSources::get);
    assertThat(customer.askAvailabilityCheck(stack.server()).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.sts.held(customer.roleArn) > 0);
    long addedBack =
        customer.addedBack(id -> AuthenticationSpec.arn(customer.roleArn, customer.externalId, id));
    addedBackInSources.set(true);

    // the check's take-back lands...
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !stack.rhsm.removals(customer.orgId, customer.sourceId).isEmpty());
    Date taken =
        stack.rhsm.removals(customer.orgId, customer.sourceId).stream()
            .map(LoggedRequest::getLoggedDate)
            .max(Date::compareTo)
            .orElseThrow();
    // ...and the application it found, verified again, is registered again and told so
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.trustedAgainSince(customer.orgId, customer.awsAccount, taken));
    customer.awaitAvailable(addedBack);
    assertThat(customer.statuses()).as("nothing said of the destroyed application").isEmpty();
  }

  /**
   * The customer replaced the authentication by another (the old one deleted): an event of the old
   * one handled after that (redelivered, or late on another pod) finds it gone. That is no missing
   * grant of the application: the current grant is verified, and CG2000 never told over it.
   */
  @Test
  void anEventOfAnAuthenticationAnotherReplacedIsNeverCg2000() {
    customer.sendCreate();
    customer.awaitAvailable();
    stack.sources.destroyAuthentication(customer.orgId, customer.authenticationId);
    stack.sources.authentication(
        customer.orgId,
        customer.applicationId + 5,
        AuthenticationSpec.arn(customer.roleArn, customer.externalId, customer.applicationId));

    customer.sendCreate();

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(stack.rhsm.heldFor(customer.orgId)).containsKey(customer.awsAccount);
  }

  @Test
  void createThenDestroyRemovesTheSourcesTrustWithoutStatus() {
    customer.sendCreate();
    customer.awaitAvailable();

    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    customer.awaitMarkerOfSameTenant();

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
    assertThat(customer.statuses()).as("the application no longer exists").hasSize(1);
    assertThat(stack.rhsm.heldFor(customer.orgId)).doesNotContainKey(customer.awsAccount);
  }

  @Test
  void destroyOfAnotherApplicationTypeCallsNobody() {
    customer.send(EventTypes.APPLICATION_DESTROY, customer.applicationBody("99"));
    customer.awaitMarkerOfSameTenant();

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).isEmpty();
  }

  /**
   * The customer deletes the application's authentication, and the application stays (Sources
   * raises only {@code Authentication.destroy}): the source's trust goes, and the application is
   * told it has none.
   */
  @Test
  void aDeletedAuthenticationEndsTheSourcesTrustAndIsCg2000() {
    customer.sendCreate();
    customer.awaitAvailable();
    stack.sources.destroyAuthentication(customer.orgId, customer.authenticationId);

    customer.send(
        EventTypes.AUTHENTICATION_DESTROY, customer.authenticationUpdateBody(customer.roleArn));

    assertThat(customer.awaitStatuses(2).get(1).value())
        .contains("\"status\":\"unavailable\",\"error\":\"CG2000: ");
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
  }

  @Test
  void aDestroyedSourcesCascadeRemovesItsTrustOnceThroughItsApplicationDestroy() {
    customer.sendCreate();
    customer.awaitAvailable();
    stack.sources.destroySource(customer.orgId, customer.sourceId);

    // Sources' cascade, in its order: the app-auths, the applications, the source (its endpoints
    // and connections), then the authentications
    customer.send("ApplicationAuthentication.destroy", customer.createBody());
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    customer.send(
        "Source.destroy", "{\"id\":" + customer.sourceId + ",\"name\":\"aws\",\"tenant\":\"\"}");
    customer.send(
        EventTypes.AUTHENTICATION_DESTROY, customer.authenticationUpdateBody(customer.roleArn));
    customer.awaitMarkerOfSameTenant();

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("the application's destroy removes it; at the others the application is gone")
        .hasSize(1);
    assertThat(stack.rhsm.heldFor(customer.orgId)).doesNotContainKey(customer.awsAccount);
    assertThat(customer.statuses()).as("nothing said of what no longer exists").hasSize(1);
  }

  /**
   * The customer's source trusted, then its grant edited in Sources to a role of that account (no
   * event sent yet); returns the new role's ARN.
   */
  private String trustedThenReplacedBy(String account, String role) {
    customer.sendCreate();
    customer.awaitAvailable();
    String arn = "arn:aws:iam::" + account + ":role/" + role;
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(arn, customer.externalId, customer.applicationId));
    return arn;
  }

  @Test
  void updateToAValidArnInAnotherAccountReplacesTheTrust() {
    String newAccount = "2" + customer.awsAccount.substring(1);
    String newArn = trustedThenReplacedBy(newAccount, "redhat-cloud-meter-v2");
    stack.sts.trusts(newArn, customer.externalId);

    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(newArn));

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"available\",\"error\":\"\"");
    // the status goes out first, the replaced account after it: wait for the removal itself
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    // never a moment without trust: the new account first, then the old one removed by id
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).isEmpty();
    var changes =
        stack.rhsm.server().getAllServeEvents().stream()
            .map(event -> event.getRequest())
            .filter(request -> !request.getMethod().getName().equals("GET"))
            .sorted(java.util.Comparator.comparing(request -> request.getLoggedDate()))
            .map(request -> request.getMethod().getName() + " " + request.getBodyAsString())
            .toList();
    assertThat(changes)
        .containsSubsequence(
            "POST [{\"id\":\""
                + newAccount
                + "\",\"nickname\":\"\",\"verified\":true,\"sourceId\":\""
                + customer.sourceId
                + "\"}]",
            "DELETE {\"id\":\"" + customer.awsAccount + "\"}");
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsEntry(newAccount, Long.toString(customer.sourceId))
        .doesNotContainKey(customer.awsAccount);
  }

  @Test
  void anUpdateThatChangesNothingChangesNothingAtRhsm() {
    customer.sendCreate();
    customer.awaitAvailable();

    customer.send(
        EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(customer.roleArn));

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"available\",\"error\":\"\"");
    // the update's removals come after its status: a later event of the tenant waits for them
    customer.awaitMarkerOfSameTenant();
    assertThat(
            stack.rhsm.server().getAllServeEvents().stream()
                .map(event -> event.getRequest())
                .filter(request -> request.getMethod().getName().equals("DELETE")))
        .as("nothing removed")
        .isEmpty();
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsEntry(customer.awsAccount, Long.toString(customer.sourceId));
  }

  @Test
  void updateToAnInvalidArnIsCg1004AndRemovesTheOldTrust() {
    customer.sendCreate();
    customer.awaitAvailable();
    String invalid = "arn:aws:iam::12345:role/redhat-cloud-meter";
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(invalid, customer.externalId, customer.applicationId));

    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(invalid));

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"unavailable\",\"error\":\"CG1004: ");
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
  }

  /**
   * An update to a role STS refuses (CG3002) removes the source's trust, but RHSM confirms that
   * removal only after a few attempts; meanwhile the customer fixes the role's trust policy (and a
   * check on another pod may have trusted it, which the late removal takes). Once the removal has
   * landed the grant is verified again: the new account trusted, and told.
   */
  @Test
  void aRefusedUpdatesRemovalThatLandsLateVerifiesTheGrantAgain() {
    String newAccount = "5" + customer.awsAccount.substring(1);
    String newArn = trustedThenReplacedBy(newAccount, "redhat-cloud-meter-v4");
    // RHSM fails the removal until the customer has fixed the role: past its first attempt (and the
    // retries within it), which RHSM did not confirm
    var removalsFail =
        stack
            .rhsm
            .server()
            .stubFor(
                delete(urlPathEqualTo(RhsmStub.SOURCE_ACCOUNTS))
                    .withQueryParam("sourceID", equalTo(Long.toString(customer.sourceId)))
                    .atPriority(1)
                    .willReturn(
                        RhsmStub.error(
                            503, "{\"error\":{\"code\":503,\"message\":\"unavailable\"}}")));

    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(newArn));
    assertThat(customer.awaitStatuses(2).get(1).value()).contains("\"error\":\"CG3002: ");
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(
            () ->
                stack.rhsm.removals(customer.orgId, customer.sourceId).size()
                    > StackExtension.ATTEMPTS);
    stack.sts.trusts(newArn, customer.externalId);
    stack.rhsm.server().removeStub(removalsFail);

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(3);
    assertThat(statuses.get(2).value()).contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsEntry(newAccount, Long.toString(customer.sourceId))
        .doesNotContainKey(customer.awsAccount);
  }

  @Test
  void anUpdateWhoseNewGrantCannotBeDecidedYetKeepsTheOldTrustUntilItIs() {
    String newAccount = "4" + customer.awsAccount.substring(1);
    String newArn = trustedThenReplacedBy(newAccount, "redhat-cloud-meter-v3");
    stack.sts.trusts(newArn, customer.externalId);
    InTurn.failFirst(
        stack.sts.server(),
        () -> StsStub.assumeRole(newArn),
        2 * StackExtension.ATTEMPTS,
        StsStub.error(500, "Receiver", "InternalFailure"));

    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(newArn));

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(3);
    assertThat(statuses.get(1).value()).contains("\"error\":\"CG3100: ");
    assertThat(statuses.get(2).value()).contains("\"status\":\"available\",\"error\":\"\"");
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    // the old account went only once the new grant was decided: after STS's last answer for it
    Date lastStsAnswer =
        stack.sts.assumeRoleRequests(newArn).stream()
            .map(LoggedRequest::getLoggedDate)
            .max(Date::compareTo)
            .orElseThrow();
    // every removal that could have ended the old trust: of the account, or of the whole source
    List<Date> oldRemoved =
        java.util.stream.Stream.concat(
                stack.rhsm.server().getAllServeEvents().stream()
                    .map(ServeEvent::getRequest)
                    .filter(request -> request.getMethod().getName().equals("DELETE"))
                    .filter(request -> request.getBodyAsString().contains(customer.awsAccount)),
                stack.rhsm.removals(customer.orgId, customer.sourceId).stream())
            .map(LoggedRequest::getLoggedDate)
            .toList();
    assertThat(stack.sts.assumeRoleRequests(newArn)).hasSize(2 * StackExtension.ATTEMPTS + 1);
    assertThat(oldRemoved)
        .as("the old trust removed only once the new grant was decided")
        .isNotEmpty()
        .allSatisfy(removed -> assertThat(removed).isAfterOrEqualTo(lastStsAnswer));
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsEntry(newAccount, Long.toString(customer.sourceId));
    assertThat(customer.deadLetters()).isEmpty();
  }

  @Test
  void aCreateWhoseFenceCouldNotBeReadTakesItsWriteBackWhenTheApplicationIsGoneByThen() {
    stack.sources.grantsFailFirst(customer.applicationId, StackExtension.ATTEMPTS);

    customer.sendCreate();
    await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    // destroyed while the writer could not read its fence: the destroy's removal, on another pod
    // or before this write, is over; the write must not outlive it
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(customer.deadLetters()).isEmpty();
  }

  @Test
  void aCheckWhoseFenceCouldNotBeReadTakesItsWriteBackWhenTheApplicationIsGoneByThen() {
    checkWritesWhileItsFenceCannotBeRead();
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
  }

  /**
   * An availability check whose write to RHSM lands while its fence cannot be read: the check reads
   * the grant once, then every read of it fails for a while (through the fence's retries in place).
   */
  private void checkWritesWhileItsFenceCannotBeRead() {
    stack.sources.afterFirst(
        SourcesStub.grantsOf(customer.applicationId),
        () -> stack.sources.grantsFailFirst(customer.applicationId, StackExtension.ATTEMPTS));
    assertThat(customer.askAvailabilityCheck(stack.server()).statusCode()).isEqualTo(202);
    await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
  }

  /**
   * A check's write lands while its fence cannot be read; meanwhile the grant is replaced by one of
   * the same account that STS refuses (a typo in the role's name; its update's refusal removed the
   * source's trust, here or on another pod, maybe before this write landed). Fenced again once
   * Sources answers, the write is no longer the current grant's: it is taken back, and the current
   * grant verified and told.
   */
  @Test
  void aCheckWhoseFenceCouldNotBeReadTakesItsWriteBackWhenItsGrantWasReplacedInTheSameAccount() {
    checkWritesWhileItsFenceCannotBeRead();
    String typo = customer.roleArn.replace(":role/", ":role/typo-");
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(typo, customer.externalId, customer.applicationId));

    customer.awaitUnavailable("CG3002");
    assertThat(stack.rhsm.heldFor(customer.orgId)).doesNotContainKey(customer.awsAccount);
  }

  /**
   * The application destroyed, its event sent, RHSM answering its first removals with {@code
   * status}.
   */
  private void destroyWhileRhsmAnswersItsRemovals(int times, int status, String message) {
    InTurn.failFirst(
        stack.rhsm.server(),
        () ->
            delete(urlPathEqualTo(RhsmStub.SOURCE_ACCOUNTS))
                .withQueryParam("sourceID", equalTo(Long.toString(customer.sourceId))),
        times,
        RhsmStub.error(
            status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + message + "\"}}"));
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
  }

  /**
   * A 404 that is not RHSM's own (a router's for a path it does not route, a proxy's) confirms
   * nothing: the removal is tried again until RHSM itself answers, and the trust goes.
   */
  @Test
  void aRemovalAnsweredByANotFoundThatIsNotRhsmsIsTriedAgainUntilRhsmAnswers() {
    customer.sendCreate();
    customer.awaitAvailable();
    InTurn.failFirst(
        stack.rhsm.server(),
        () ->
            delete(urlPathEqualTo(RhsmStub.SOURCE_ACCOUNTS))
                .withQueryParam("sourceID", equalTo(Long.toString(customer.sourceId))),
        2,
        SourcesStub.routeNotFound());
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSizeGreaterThan(2);
  }

  @Test
  void aRemovalRhsmDoesNotConfirmStaysPendingAndIsFinishedWhenItDoes() {
    customer.sendCreate();
    customer.awaitAvailable();
    double unconfirmedBefore =
        stack.server().metric("cloudoreg_outcomes_total", "code", "REMOVAL_UNCONFIRMED");
    destroyWhileRhsmAnswersItsRemovals(8, 400, "refused");

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.server().metric("cloudoreg_pending_removals") >= 1);
    assertThat(stack.server().get("/health/live").body())
        .as("shown in the health report, never a reason to restart")
        .contains("\"pending-removals\":1");
    // while it waits: another tenant is served, this tenant's next event waits behind it
    CustomerSource sameOrg = new CustomerSource(stack, events, customer).trusting();
    sameOrg.sendCreate();
    CustomerSource otherOrg = new CustomerSource(stack, events).trusting();
    otherOrg.sendCreate();
    otherOrg.awaitAvailable();
    sameOrg.awaitAvailable();
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(sameOrg.statuses().get(0).timestamp())
        .as("the tenant's next event waited for the removal")
        .isGreaterThanOrEqualTo(lastRemovalAttempt(customer));
    assertThat(otherOrg.statuses().get(0).timestamp())
        .as("another tenant was served while it waited")
        .isLessThan(lastRemovalAttempt(customer));
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("a 400 is not a confirmation: tried until RHSM confirmed")
        .hasSize(9);
    assertThat(
            stack.server().metric("cloudoreg_outcomes_total", "code", "REMOVAL_UNCONFIRMED")
                - unconfirmedBefore)
        .isEqualTo(8);
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.server().metric("cloudoreg_pending_removals") == 0);
    assertThat(customer.deadLetters()).isEmpty();
    assertThat(customer.statuses()).hasSize(1);
  }

  @Test
  void aRemovalAnsweredWithRhsmsConflictStatusIsUnconfirmedAndTriedAgain() {
    customer.sendCreate();
    customer.awaitAvailable();
    double unconfirmedBefore =
        stack.server().metric("cloudoreg_outcomes_total", "code", "REMOVAL_UNCONFIRMED");
    destroyWhileRhsmAnswersItsRemovals(2, 409, "conflict");

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("the conflict status is no confirmation, and no bug either: tried again")
        .hasSize(3);
    assertThat(
            stack.server().metric("cloudoreg_outcomes_total", "code", "REMOVAL_UNCONFIRMED")
                - unconfirmedBefore)
        .isEqualTo(2);
    assertThat(customer.deadLetters()).isEmpty();
  }

  @Test
  void anAvailabilityCheckNeverTellsAnOutageOfOursAsUnavailable() {
    customer.sendCreate();
    customer.awaitAvailable();
    stack.sts.refuses(customer.roleArn, 500, "Receiver", "InternalFailure");

    var answer = customer.askAvailabilityCheck(stack.server());

    assertThat(answer.statusCode()).isEqualTo(202);
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.sts.assumeRoleRequests(customer.roleArn).size() > 1);
    customer.awaitMarkerOfSameTenant();
    assertThat(customer.statuses())
        .as("STS down is ours: Sources checks again within the hour")
        .hasSize(1);
    assertThat(stack.rhsm.heldFor(customer.orgId)).containsKey(customer.awsAccount);
  }

  /** When RHSM received the last removal of the customer's source. */
  private long lastRemovalAttempt(CustomerSource source) {
    return stack.rhsm.removals(source.orgId, source.sourceId).stream()
        .map(LoggedRequest::getLoggedDate)
        .mapToLong(Date::getTime)
        .max()
        .orElseThrow();
  }

  @Test
  void pauseDoesNothingUnpauseVerifiesAndReports() {
    customer.send("Application.pause", customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    customer.awaitMarkerOfSameTenant();
    assertThat(customer.statuses()).isEmpty();
    assertThat(stack.sts.assumeRoleRequests(customer.roleArn)).isEmpty();
    customer.send(
        EventTypes.APPLICATION_UNPAUSE, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));

    customer.awaitAvailable();
    assertThat(stack.rhsm.registrations(customer.orgId, customer.awsAccount)).hasSize(1);
  }

  @Test
  void availabilityCheckAnswers202ThenReportsTheSourcesCloudMeterApplication() {
    stack.sources.application(customer.orgId, customer.applicationId + 5, customer.sourceId, "99");

    var answer = customer.askAvailabilityCheck(stack.server());

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body()).contains("\"source_id\":\"" + customer.sourceId + "\"");
    customer.awaitAvailable();
    assertThat(stack.ledger.statusesFor(customer.applicationId + 5))
        .as("not Cloud Meter")
        .isEmpty();
  }

  /**
   * Exactly as Sources' monitor calls it (sources-api-go): its content type with a charset, an
   * empty account number, the System identity it generates (shaped as the contract's sample), and
   * the source id as a string — or as a number, which a JSON reader may meet too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\"%d\"", "%d"})
  void availabilityCheckAnswersSourcesAsSourcesCallsIt(String sourceIdForm) {
    Map<String, String> asSourcesSendsIt =
        Map.of(
            "Content-Type",
            "application/json;charset=utf-8",
            "x-rh-sources-org-id",
            customer.orgId,
            "x-rh-sources-account-number",
            "",
            "x-rh-identity",
            Identities.encode(
                "{\"identity\":{\"account_number\":\"\",\"org_id\":\""
                    + customer.orgId
                    + "\",\"internal\":{\"org_id\":\"\"},\"type\":\"System\"},"
                    + "\"entitlements\":null}"));

    var answer =
        stack
            .server()
            .postPrivate(
                AVAILABILITY,
                "{\"source_id\":" + sourceIdForm.formatted(customer.sourceId) + "}",
                asSourcesSendsIt);

    assertThat(answer.statusCode()).isBetween(200, 299);
    customer.awaitAvailable();
  }

  @Test
  void availabilityCheckRefusesWhatItCannotRead() {
    Map<String, String> tenant =
        Map.of(
            "x-rh-sources-org-id",
            customer.orgId,
            "x-rh-identity",
            Identities.user(customer.orgId, CustomerSource.ACCOUNT_NUMBER));
    var server = stack.server();

    var notJson = server.postPrivate(AVAILABILITY, "{source_id:", tenant);
    var noSource = server.postPrivate(AVAILABILITY, "{\"id\":\"55\"}", tenant);
    var badSource = server.postPrivate(AVAILABILITY, "{\"source_id\":\"fifty-five\"}", tenant);
    var noIdentity =
        server.postPrivate(
            AVAILABILITY, "{\"source_id\":\"55\"}", Map.of("x-rh-sources-org-id", customer.orgId));
    var identityNotJson =
        server.postPrivate(
            AVAILABILITY,
            "{\"source_id\":\"55\"}",
            Map.of(
                "x-rh-sources-org-id",
                customer.orgId,
                "x-rh-identity",
                Identities.encode("not json")));
    var identityOfAnotherOrg =
        server.postPrivate(
            AVAILABILITY,
            "{\"source_id\":\"55\"}",
            Map.of(
                "x-rh-sources-org-id",
                customer.orgId,
                "x-rh-identity",
                Identities.user("someone-else", CustomerSource.ACCOUNT_NUMBER)));

    for (var answer : List.of(notJson, noSource, badSource, noIdentity, identityNotJson)) {
      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("application/json");
      assertThat(answer.body()).startsWith("{\"error\":\"");
    }
    assertThat(noIdentity.body()).contains("x-rh-identity");
    assertThat(identityOfAnotherOrg.statusCode()).isEqualTo(403);
  }

  @Test
  void interleavedCreateUpdateDestroyEndsWithoutTrustWhileAnotherTenantKeepsIts() {
    CustomerSource other = new CustomerSource(stack, events).trusting();
    String newAccount = "3" + customer.awsAccount.substring(1);
    String newArn = "arn:aws:iam::" + newAccount + ":role/redhat-cloud-meter-v2";
    stack.sts.trusts(newArn, customer.externalId);
    // Sources already holds the edited ARN when cloudoreg reads it
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(newArn, customer.externalId, customer.applicationId));

    customer.sendCreate();
    other.sendCreate();
    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(newArn));
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    customer.awaitMarkerOfSameTenant();
    other.awaitAvailable();

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("the update replaced the account by id; the destroy removed the source's trust")
        .hasSize(1);
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .as("after create, update and destroy the source holds nothing")
        .doesNotContainValue(Long.toString(customer.sourceId));
    assertThat(stack.rhsm.heldFor(other.orgId))
        .containsEntry(other.awsAccount, Long.toString(other.sourceId));
  }
}
