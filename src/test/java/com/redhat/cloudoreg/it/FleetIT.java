package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas in one consumer group on one real broker, as production runs them: one owns the
 * event partition (Sources writes every event to partition 0), the other answers the availability
 * checks the Service sends it. The interleavings that used to leave wrong trust are forced by
 * making STS answer the checking replica only once the owner's change has landed, so that it lands
 * while the check verifies; the fence (docs/architecture.md) must then take the check's write back.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Integer.MAX_VALUE - 5)
class FleetIT {
  private static final String TOPIC = "fleet-events";
  private static final String GROUP = "cloudoreg-fleet";

  private final Stack stack;
  private final Map<String, LibertyServer> replicas = new LinkedHashMap<>();
  private Events events;

  FleetIT(Stack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void twoReplicas() {
    stack.kafka.createTopics(List.of(TOPIC), 1);
    for (String name : List.of("fleet-a", "fleet-b")) {
      replicas.put(
          name,
          stack.separateServer(
              "cloudoreg-" + name,
              Map.of(
                  "SOURCES_EVENT_TOPIC", TOPIC,
                  "KAFKA_GROUP_ID", GROUP,
                  "HOSTNAME", name)));
    }
    replicas.values().forEach(LibertyServer::start);
    events = new Events(stack.kafka.bootstrapServers(), TOPIC);
    // both replicas in the group and its assignment settled: a join during a test moves the
    // partition, and an event of it may run again on the new owner (a create's AssumeRole held
    // beside the check's, or ahead of the destroy in its tenant's lane)
    awaitGroup(
        group -> group,
        group -> group.members().size() == 2 && group.groupState() == GroupState.STABLE);
  }

  @AfterAll
  void stopReplicas() {
    events.close();
    replicas.values().forEach(LibertyServer::close);
  }

  @BeforeEach
  void resetPeers() {
    stack.resetPeers();
  }

  @Test
  @Order(1)
  void aCheckOnOneReplicaInterleavedWithADestroyOnTheOtherLeavesNoTrust() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    customer.sendCreate();
    customer.awaitAvailable();
    // the check's verification answered once the destroy's removal has landed: that order is the
    // case under test, whatever the machine's speed (a fixed delay lost the race on a slow one)
    stack.sts.trustsOnce(
        customer.roleArn,
        customer.externalId,
        () -> !stack.rhsm.removals(customer.orgId, customer.sourceId).isEmpty());

    AtomicLong destroyed = new AtomicLong();
    whileTheCheckerVerifies(
        customer,
        () -> {
          stack.sources.destroyApplication(customer.orgId, customer.applicationId);
          destroyed.set(System.currentTimeMillis());
          customer.send(
              EventTypes.APPLICATION_DESTROY,
              customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
        });

    // the check's registration lands after the destroy's removal...
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.registrations(customer.orgId, customer.awsAccount).size() == 2);
    // ...and is taken back by the check itself
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.removals(customer.orgId, customer.sourceId).size() >= 2);
    assertThat(stack.rhsm.heldFor(customer.orgId)).doesNotContainKey(customer.awsAccount);
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("the destroy's removal and the check's take-back")
        .hasSize(2);
    // the create's status may come twice (the second replica's join moved the partition: at least
    // once); none may come from the check
    assertThat(customer.statuses())
        .as("nothing said of a destroyed application")
        .isNotEmpty()
        .allMatch(status -> status.timestamp() < destroyed.get());
  }

  @Test
  @Order(2)
  void anUpdateOnOneReplicaInterleavedWithACheckOfTheOldRoleOnTheOtherLeavesOnlyTheNewTrust() {
    CustomerSource customer = trustedCustomer();
    String newAccount = "3" + customer.awsAccount.substring(1);
    stack.sts.trustsOnce(
        customer.roleArn, customer.externalId, () -> holdsOnly(customer, newAccount));

    whileTheCheckerVerifies(
        customer, () -> updateTo(customer, newRoleArn(newAccount), customer.externalId));

    // the check's late registration of the old role's account lands...
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.registrations(customer.orgId, customer.awsAccount).size() == 2);
    // ...and RHSM ends up holding the new grant's account alone
    awaitRhsmHoldsOnly(customer, newAccount);
    assertThat(customer.statuses())
        .extracting(ConsumerRecord::value)
        .allMatch(status -> status.contains("\"status\":\"available\""));
  }

  /**
   * The check's late write of the old grant found the account held already (the update, on the
   * owner, kept it: only the external id changed): it changed nothing, so it takes nothing back —
   * the account is never removed, not even for the moment before the check verifies again.
   */
  @Test
  @Order(2)
  void aCheckOfTheOldGrantThatAddedNothingTakesNothingBackWhenAnUpdateKeptTheAccount() {
    CustomerSource customer = trustedCustomer();
    String newExternalId = "b7e1" + customer.externalId.substring(4);
    // answered once the update's registration (the create's is the first) has landed
    stack.sts.trustsOnce(
        customer.roleArn,
        customer.externalId,
        () -> stack.rhsm.registrations(customer.orgId, customer.awsAccount).size() >= 2);

    whileTheCheckerVerifies(
        customer,
        () -> {
          // the old external id still accepted: the check's attempt that times out while held is
          // retried on the old grant, and must verify it as the first attempt would have
          stack.sts.trustsAlso(customer.roleArn, newExternalId);
          updateTo(customer, customer.roleArn, newExternalId);
        });

    // the create, the update, the check's late write, and the check's own run on the new grant
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.registrations(customer.orgId, customer.awsAccount).size() == 4);
    assertThat(stack.rhsm.accountRemovals(customer.orgId, RhsmStub.AWS, customer.awsAccount))
        .as("the account both grants name, held before the check's write")
        .isEmpty();
    awaitRhsmHoldsOnly(customer, customer.awsAccount);
    assertThat(customer.statuses())
        .extracting(ConsumerRecord::value)
        .allMatch(status -> status.contains("\"status\":\"available\""));
  }

  /**
   * The check's late write of the old role's account lands after the update replaced it, but RHSM's
   * answer is lost and the write's retry is refused as "held for this source": that refusal answers
   * the check's own first attempt, so the write may have added the account, and it is taken back.
   */
  @Test
  @Order(2)
  void aLateWriteWhoseAnswerWasLostIsTakenBackThoughItsRetryFoundTheAccountHeld() {
    CustomerSource customer = trustedCustomer();
    String newAccount = "5" + customer.awsAccount.substring(1);
    stack.sts.trustsOnce(
        customer.roleArn, customer.externalId, () -> holdsOnly(customer, newAccount));

    whileTheCheckerVerifies(
        customer,
        () -> {
          stack.rhsm.registrationLandsButAnswer503(customer.orgId, customer.awsAccount);
          updateTo(customer, newRoleArn(newAccount), customer.externalId);
        });

    // the create's registration, then the check's: its first attempt landed, its retry was refused
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.registrations(customer.orgId, customer.awsAccount).size() == 3);
    awaitRhsmHoldsOnly(customer, newAccount);
  }

  /**
   * A check on the other replica refuses the old role while the owner trusts the new one: the
   * refusal is of a grant no longer the application's, so it is never told (it would stand over the
   * newer {@code available}); the check verifies the current grant instead.
   */
  @Test
  @Order(2)
  void aCheckRefusingTheOldRoleOnOneReplicaNeverOutlivesTheUpdateTrustedOnTheOther() {
    CustomerSource customer = trustedCustomer();
    String newAccount = "4" + customer.awsAccount.substring(1);
    stack.sts.refusesOnce(
        customer.roleArn,
        customer.externalId,
        403,
        "Sender",
        "AccessDenied",
        () -> holdsOnly(customer, newAccount));

    whileTheCheckerVerifies(
        customer, () -> updateTo(customer, newRoleArn(newAccount), customer.externalId));

    // the create's, the update's, and the check's: on the new grant, as the application has it now
    assertThat(customer.awaitStatuses(3))
        .extracting(ConsumerRecord::value)
        .allMatch(status -> status.contains("\"status\":\"available\""));
    awaitRhsmHoldsOnly(customer, newAccount);
  }

  /**
   * The owner's update removes the replaced account, RHSM refuses that removal for a while, and
   * meanwhile the customer replaces the grant again and the other replica trusts it (a check here;
   * in production as well the partition's new owner after a rebalance, while the revoked replica
   * keeps retrying, and Sources' event of the next grant is handled before the retry lands). The
   * retry that lands removes that trust too: it must find, once landed, that the grant it was
   * decided on is no longer the application's, and verify the current grant again, which restores
   * it — here before that event is sent, which on this stack's one owner would restore it too.
   */
  @Test
  @Order(2)
  void anUpdatesRemovalLandingAfterTheNextGrantWasTrustedOnTheOtherReplicaRestoresIt() {
    CustomerSource customer = trustedCustomer();
    String replacedAccount = customer.awsAccount;
    String updatedAccount = "6" + customer.awsAccount.substring(1);
    String nextAccount = "7" + customer.awsAccount.substring(1);
    StubMapping refused =
        stack
            .rhsm
            .server()
            .stubFor(
                delete(urlPathEqualTo("/v1/cloud_access_providers/AWS/accounts"))
                    .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId))
                    .withRequestBody(containing("\"id\":\"" + replacedAccount + "\""))
                    .atPriority(1)
                    .willReturn(
                        RhsmStub.error(
                            503, "{\"error\":{\"code\":503,\"message\":\"unavailable\"}}")));

    updateTo(customer, newRoleArn(updatedAccount), customer.externalId);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !stack
                    .rhsm
                    .accountRemovals(customer.orgId, RhsmStub.AWS, replacedAccount)
                    .isEmpty());
    // the next grant, trusted on the other replica while the owner's removal waits for RHSM
    String nextArn = newRoleArn(nextAccount);
    stack.sts.trusts(nextArn, customer.externalId);
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(nextArn, customer.externalId, customer.applicationId));
    checkOn(checker(), customer);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.heldFor(customer.orgId).containsKey(nextAccount));
    Date trustedNext =
        stack.rhsm.registrations(customer.orgId, nextAccount).stream()
            .map(LoggedRequest::getLoggedDate)
            .max(Date::compareTo)
            .orElseThrow();
    // lifted once an attempt that listed the source's accounts after that was refused: an attempt
    // under way may have listed them before, and would not take the next grant's account
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> refusedAfterListing(customer, replacedAccount, trustedNext));
    stack.rhsm.server().removeStub(refused);

    // the owner's retry lands and takes the next grant's account with the replaced one...
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> !stack.rhsm.accountRemovals(customer.orgId, RhsmStub.AWS, nextAccount).isEmpty());
    Date taken =
        stack.rhsm.accountRemovals(customer.orgId, RhsmStub.AWS, nextAccount).stream()
            .map(LoggedRequest::getLoggedDate)
            .max(Date::compareTo)
            .orElseThrow();
    // ...and the verification of the current grant that follows registers it again, and says so:
    // with no event of the next grant sent yet (in production the new owner handled it already)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.rhsm.trustedAgainSince(customer.orgId, nextAccount, taken));
    // the create's, the update's, the check's, and the verification's
    assertThat(customer.awaitStatuses(4))
        .extracting(ConsumerRecord::value)
        .allMatch(status -> status.contains("\"status\":\"available\""));

    // Sources' event of the next grant, last here: the updated account goes too
    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(nextArn));
    awaitRhsmHoldsOnly(customer, nextAccount);
  }

  /**
   * RHEL management removed from a source and added back: a new application of the same source,
   * with the same role, trusted by a check on the replica that does not own the partition while the
   * owner's removal of the destroyed application's trust waits for RHSM. The removal is
   * source-wide: when it lands, it takes the new application's trust too. It must find, once
   * landed, that the source has a Cloud Meter application again, and verify it, which registers it
   * again.
   */
  @Test
  @Order(2)
  void aDestroysRemovalLandingAfterTheSourceWasTrustedAgainOnTheOtherReplicaRestoresIt() {
    CustomerSource customer = trustedCustomer();
    StubMapping refused =
        stack
            .rhsm
            .server()
            .stubFor(
                delete(urlPathEqualTo(RhsmStub.SOURCE_ACCOUNTS))
                    .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId))
                    .withQueryParam("sourceID", equalTo(Long.toString(customer.sourceId)))
                    .atPriority(1)
                    .willReturn(
                        RhsmStub.error(
                            503, "{\"error\":{\"code\":503,\"message\":\"unavailable\"}}")));

    stack.sources.destroyApplication(customer.orgId, customer.applicationId);
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !stack.rhsm.removals(customer.orgId, customer.sourceId).isEmpty());
    // added back, and trusted by a check on the other replica while the owner's removal waits
    customer.addedBack(id -> AuthenticationSpec.arn(customer.roleArn, customer.externalId, id));
    int registeredBefore = stack.rhsm.registrations(customer.orgId, customer.awsAccount).size();
    checkOn(checker(), customer);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stack.rhsm.registrations(customer.orgId, customer.awsAccount).size()
                        > registeredBefore
                    && stack.rhsm.heldFor(customer.orgId).containsKey(customer.awsAccount));
    Date checkRegistered =
        stack.rhsm.registrations(customer.orgId, customer.awsAccount).stream()
            .map(LoggedRequest::getLoggedDate)
            .max(Date::compareTo)
            .orElseThrow();
    stack.rhsm.server().removeStub(refused);

    // the owner's retry lands, and takes the added-back application's trust; the verification of
    // the application it found that follows registers it again
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stack.rhsm.removals(customer.orgId, customer.sourceId).stream()
                    .map(LoggedRequest::getLoggedDate)
                    .filter(removal -> removal.after(checkRegistered))
                    .max(Date::compareTo)
                    .filter(
                        taken ->
                            stack.rhsm.trustedAgainSince(
                                customer.orgId, customer.awsAccount, taken))
                    .isPresent());
    awaitRhsmHoldsOnly(customer, customer.awsAccount);
  }

  /**
   * Whether RHSM refused a removal of that account after listing the org's accounts for a removal
   * that began after {@code since}.
   */
  private boolean refusedAfterListing(CustomerSource customer, String account, Date since) {
    return stack
        .rhsm
        .server()
        .findAll(
            getRequestedFor(urlPathEqualTo(RhsmStub.ENABLED))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId)))
        .stream()
        .map(LoggedRequest::getLoggedDate)
        .filter(listed -> listed.after(since))
        .min(Date::compareTo)
        .filter(
            listed ->
                stack.rhsm.accountRemovals(customer.orgId, RhsmStub.AWS, account).stream()
                    .anyMatch(refusal -> refusal.getLoggedDate().after(listed)))
        .isPresent();
  }

  private CustomerSource trustedCustomer() {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    customer.sendCreate();
    customer.awaitAvailable();
    return customer;
  }

  /**
   * A check of the customer's source on the replica that does not own the partition, and {@code
   * meanwhile} once STS holds its AssumeRole of the grant as it is (until the test's condition: the
   * owner's change has landed). Held, not held once: a timed-out attempt's retry is held beside it.
   */
  private void whileTheCheckerVerifies(CustomerSource customer, Runnable meanwhile) {
    checkOn(checker(), customer);
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.sts.held(customer.roleArn) > 0);
    meanwhile.run();
  }

  /**
   * RHSM holds that account alone for the customer's source: the owner's update to it has landed
   * whole, the old account's removal too (a write landing before that removal would be taken by it,
   * not by the fence under test).
   */
  private boolean holdsOnly(CustomerSource customer, String account) {
    return stack
        .rhsm
        .heldFor(customer.orgId)
        .equals(Map.of(account, Long.toString(customer.sourceId)));
  }

  /** The customer replaces the grant in Sources, and Sources says so on the event stream. */
  private void updateTo(CustomerSource customer, String arn, String externalId) {
    if (!arn.equals(customer.roleArn)) {
      stack.sts.trusts(arn, externalId);
    }
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(arn, externalId, customer.applicationId));
    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(arn));
  }

  private static String newRoleArn(String account) {
    return "arn:aws:iam::" + account + ":role/redhat-cloud-meter-v2";
  }

  private void awaitRhsmHoldsOnly(CustomerSource customer, String account) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(stack.rhsm.heldFor(customer.orgId))
                    .containsExactlyEntriesOf(Map.of(account, Long.toString(customer.sourceId))));
  }

  @Test
  @Order(3)
  void aReplicaStoppedMidBurstLosesNothingAndNoAccountIsHeldTwice() throws Exception {
    List<CustomerSource> customers = new ArrayList<>();
    for (int org = 0; org < 100; org++) {
      CustomerSource first = new CustomerSource(stack, events).trusting();
      customers.add(first);
      for (int more = 0; more < 3; more++) {
        customers.add(new CustomerSource(stack, events, first).trusting());
      }
    }
    LibertyServer owner = replicas.get(owner());
    List<Long> sentOrder = new ArrayList<>();
    for (CustomerSource customer : customers) {
      events.sendAsync(
          customer.orgId, customer.createHeaders(), customer.createBody(), customer.applicationId);
      sentOrder.add(customer.applicationId);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> customers.stream().filter(c -> !c.statuses().isEmpty()).count() >= 60);
    owner.stop();

    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> customers.stream().allMatch(c -> !c.statuses().isEmpty()));
    int duplicates = 0;
    for (CustomerSource customer : customers) {
      List<ConsumerRecord<String, String>> statuses = customer.statuses();
      duplicates += statuses.size() - 1;
      assertThat(statuses)
          .extracting(ConsumerRecord::value)
          .as("application %d", customer.applicationId)
          .allMatch(status -> status.contains("\"status\":\"available\",\"error\":\"\""));
    }
    Map<String, List<Long>> firstStatusOrder = new HashMap<>();
    stack.ledger.statuses().stream()
        .map(ConsumerRecord::value)
        .forEach(
            status ->
                customers.stream()
                    .filter(c -> status.contains("\"resource_id\":\"" + c.applicationId + "\""))
                    .findFirst()
                    .ifPresent(
                        c -> {
                          List<Long> seen =
                              firstStatusOrder.computeIfAbsent(c.orgId, org -> new ArrayList<>());
                          if (!seen.contains(c.applicationId)) {
                            seen.add(c.applicationId);
                          }
                        }));
    firstStatusOrder.forEach(
        (org, order) ->
            assertThat(order)
                .as("org %s's first statuses in its events' order", org)
                .isEqualTo(sentOrder.stream().filter(order::contains).toList()));
    for (CustomerSource customer : customers) {
      assertThat(stack.rhsm.holdings(customer.orgId))
          .filteredOn(held -> held.id().equals(customer.awsAccount))
          .as("account %s held once, for its source", customer.awsAccount)
          .singleElement()
          .matches(held -> held.sourceId().equals(Long.toString(customer.sourceId)));
    }
    System.out.printf(
        "[fleet] 400 creates, owner stopped mid-burst: %d duplicate statuses%n", duplicates);
  }

  /** The replica that does not own the event partition: it answers checks only. */
  private LibertyServer checker() {
    String owner = owner();
    return replicas.entrySet().stream()
        .filter(e -> !e.getKey().equals(owner))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  /** The replica whose consumer holds the event partition now. */
  private String owner() {
    return awaitGroup(
        group ->
            group.members().stream()
                .filter(m -> !m.assignment().topicPartitions().isEmpty())
                .map(MemberDescription::clientId)
                .map(clientId -> clientId.substring("cloudoreg-".length()))
                .findFirst()
                .orElse(""),
        replicas::containsKey);
  }

  /** What {@code read} finds in the event group's description, once {@code until} holds of it. */
  private <T> T awaitGroup(Function<ConsumerGroupDescription, T> read, Predicate<? super T> until) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
      return await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  read.apply(
                      admin
                          .describeConsumerGroups(List.of(GROUP))
                          .describedGroups()
                          .get(GROUP)
                          .get(5, TimeUnit.SECONDS)),
              until);
    }
  }

  private static void checkOn(LibertyServer replica, CustomerSource customer) {
    assertThat(customer.askAvailabilityCheck(replica).statusCode()).isEqualTo(202);
  }
}
