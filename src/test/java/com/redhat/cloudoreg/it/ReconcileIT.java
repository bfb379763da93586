package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import jakarta.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconciliation on the real stack: deployments of their own, reconciling every few seconds,
 * find trust whose source Sources no longer has — events they never saw — and remove it; what they
 * cannot read, they leave; in shadow mode they only say; with two replicas, one reconciles.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 8)
class ReconcileIT {
  private static final String MSAZ_ACCOUNTS = "/v1/cloud_access_providers/MSAZ/accounts";
  private static final Duration INTERVAL = Duration.ofSeconds(3);
  private static final String GRACE = "CLOUDOREG_DELEGATION_END_GRACE";

  private final Stack stack;

  ReconcileIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void trustOfSourcesGoneWhileTheServiceMissedTheirEventsIsRemovedAndNothingElse() {
    stack.resetPeers();
    String name = "reconcile-missed";
    LibertyServer server = deployment(name, Map.of("KAFKA_SESSION_TIMEOUT_MS", "8000"));
    try (Events events = new Events(stack.kafka.bootstrapServers(), name + "-events")) {
      server.start();
      CustomerSource gone = new CustomerSource(stack, events).trusting();
      CustomerSource staying = new CustomerSource(stack, events, gone).trusting();
      CustomerSource leaving = new CustomerSource(stack, events).trusting();
      for (CustomerSource customer : List.of(gone, staying, leaving)) {
        customer.sendCreate();
        customer.awaitAvailable();
      }
      stack.rhsm.holds(gone.orgId, RhsmStub.AWS, "999999999999", null);
      stack.rhsm.holds("an-org-we-never-saw", RhsmStub.AWS, "888888888888", "777777");

      // down while the customers delete two sources: the events are never seen
      server.kill();
      Instant killed = Instant.now();
      stack.sources.destroySource(gone.orgId, gone.sourceId);
      stack.sources.destroySource(leaving.orgId, leaving.sourceId);
      server.start();

      // the crashed replica's role moves after KAFKA_SESSION_TIMEOUT_MS (8 s here), not after the
      // client's default 45 s: the new one takes the ledger as it starts and reconciles at once
      // (the last run is more than an interval ago)
      Duration left = Duration.ofSeconds(40).minus(Duration.between(killed, Instant.now()));
      assertThat(left)
          .as("time left after the restart to tell an 8 s session from 45 s (restart too slow)")
          .isGreaterThan(Duration.ofSeconds(5));
      await()
          .atMost(left)
          .until(
              () ->
                  !stack.rhsm.heldFor(gone.orgId).containsKey(gone.awsAccount)
                      && stack.rhsm.holdings(leaving.orgId).isEmpty());
      assertThat(stack.rhsm.heldFor(gone.orgId))
          .as("another source's trust, and an account the org added by hand, stay")
          .containsKeys(staying.awsAccount, "999999999999");
      assertThat(stack.rhsm.holdings("an-org-we-never-saw")).as("another org's").hasSize(1);
      // counted once RHSM's answers are back in the service, a moment after RHSM holds them no more
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.metric("cloudoreg_reconcile_orphans_removed_total") >= 2);
      assertThat(server.metric("cloudoreg_reconcile_orphans_removed_total")).isEqualTo(2);
      assertThat(server.metric("cloudoreg_reconcile_last_complete_timestamp_seconds")).isPositive();
    } finally {
      server.kill();
    }
  }

  /**
   * Sources' list unread — an outage (503), or no list at all (404: a page past the end is an empty
   * list, so a 404 is never the end of the walk).
   */
  @ParameterizedTest
  @ValueSource(ints = {503, 404})
  void aSourcesListUnreadMidWalkRemovesNothingItCouldNotRead(int status) {
    stack.resetPeers();
    String name = "reconcile-unread-" + status;
    LibertyServer server = deployment(name, Map.of());
    try (Events events = new Events(stack.kafka.bootstrapServers(), name + "-events")) {
      server.start();
      CustomerSource gone = new CustomerSource(stack, events).trusting();
      gone.sendCreate();
      gone.awaitAvailable();
      StubMapping outage =
          stack
              .sources
              .server()
              .stubFor(
                  get(urlPathEqualTo(SourcesStub.INTERNAL_API + "/sources"))
                      .atPriority(1)
                      .willReturn(
                          SourcesStub.errorAnswer(
                              status, status == 404 ? "not found" : "unavailable")));
      stack.sources.destroySource(gone.orgId, gone.sourceId);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  server.metric(
                          "cloudoreg_reconcile_skipped_total", "reason", "sources_list_unread")
                      >= 1);
      // the skip is counted before what follows it: the trust must stay through the next runs
      await()
          .alias("unknown is not a verdict: the trust stays through two more intervals")
          .during(INTERVAL.multipliedBy(2))
          .atMost(INTERVAL.multipliedBy(3))
          .until(() -> stack.rhsm.heldFor(gone.orgId).containsKey(gone.awsAccount));

      stack.sources.server().removeStub(outage);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !stack.rhsm.heldFor(gone.orgId).containsKey(gone.awsAccount));
    } finally {
      server.kill();
    }
  }

  @Test
  void inShadowModeTheReconciliationOnlySaysWhatItWouldRemove() {
    stack.resetPeers();
    CustomerSource live = new CustomerSource(stack, null).trusting();
    stack.rhsm.holds(live.orgId, RhsmStub.AWS, live.awsAccount, Long.toString(live.sourceId));
    stack.rhsm.holds(live.orgId, RhsmStub.AWS, "777777777777", "424242");
    LibertyServer shadow = deployment("reconcile-shadow", Map.of("CLOUDOREG_MODE", "shadow"));
    try {
      shadow.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> shadow.metric("cloudoreg_reconcile_runs_total", "result", "complete") >= 1);
      assertThat(shadow.metric("cloudoreg_reconcile_orphans_found_total")).isEqualTo(1);
      assertThat(stack.rhsm.heldFor(live.orgId)).containsKey("777777777777");
      assertThat(stack.rhsm.removals(live.orgId, 424242)).isEmpty();
    } finally {
      shadow.kill();
    }
  }

  /**
   * The ledger's progress is ours, but a version that wrote it otherwise, or a hand that did, must
   * not end reconciling for good: read as none, the run comes an interval after readiness.
   */
  @Test
  void aProgressTheLedgerCannotReadIsTakenAsNone() throws Exception {
    stack.resetPeers();
    CustomerSource live = new CustomerSource(stack, null).trusting();
    stack.rhsm.holds(live.orgId, RhsmStub.AWS, live.awsAccount, Long.toString(live.sourceId));
    stack.rhsm.holds(live.orgId, RhsmStub.AWS, "555555555555", "454545");
    String name = "reconcile-unreadable";
    LibertyServer server = deployment(name, Map.of());
    try (Events ledger = new Events(stack.kafka.bootstrapServers(), name + "-trust")) {
      ledger.send("reconcile:progress", Map.of(), "{\"run_started\":\"yesterday\"}");
      server.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !stack.rhsm.heldFor(live.orgId).containsKey("555555555555"));
      assertThat(stack.rhsm.heldFor(live.orgId)).containsKey(live.awsAccount);
      assertThat(Files.readString(server.logs().resolve("messages.log")))
          .contains("The trust ledger's progress at offset 0 cannot be read");
    } finally {
      server.kill();
    }
  }

  /**
   * Runs are counted only once both replicas are in the ledger's group and it has settled: before
   * the second replica joins, the first reconciles alone whatever the guard, which proves nothing.
   * Then the one that reconciles dies: the other takes the role within the session timeout and
   * removes trust whose source went while it was gone.
   */
  @Test
  void withTwoReplicasOneReconcilesAndTheOtherTakesOverWhenItDies() throws Exception {
    stack.resetPeers();
    String name = "reconcile-fleet";
    String group = "cloudoreg-" + name + "-reconcile";
    LibertyServer a =
        deployment(name, Map.of("HOSTNAME", "reconcile-a", "KAFKA_SESSION_TIMEOUT_MS", "8000"));
    LibertyServer b =
        separate(
            name + "-b",
            name,
            Map.of("HOSTNAME", "reconcile-b", "KAFKA_SESSION_TIMEOUT_MS", "8000"));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
      a.start();
      b.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                ConsumerGroupDescription ledger =
                    admin
                        .describeConsumerGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(10, TimeUnit.SECONDS);
                return ledger.members().size() == 2 && ledger.groupState() == GroupState.STABLE;
              });
      // a run the rebalance interrupted ends at its next org: let it end before counting
      await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
      double aBefore = a.metric("cloudoreg_reconcile_runs_total");
      double bBefore = b.metric("cloudoreg_reconcile_runs_total");

      // three intervals' runs at least: a replica reconciling beside the owner would run in them
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  a.metric("cloudoreg_reconcile_runs_total")
                          - aBefore
                          + b.metric("cloudoreg_reconcile_runs_total")
                          - bBefore
                      >= 3);
      assertThat(
              List.of(
                  a.metric("cloudoreg_reconcile_runs_total") - aBefore,
                  b.metric("cloudoreg_reconcile_runs_total") - bBefore))
          .as("with both replicas in the group: every run on one replica, none on the other")
          .containsOnlyOnce(0.0);

      boolean aReconciles = a.metric("cloudoreg_reconcile_runs_total") > aBefore;
      LibertyServer owner = aReconciles ? a : b;
      LibertyServer survivor = aReconciles ? b : a;
      assertThat(survivor.metric("cloudoreg_reconcile_runs_total"))
          .as("the role has not moved since the runs were counted: the owner is the one killed")
          .isEqualTo(aReconciles ? bBefore : aBefore);
      owner.kill();
      Instant killed = Instant.now();
      CustomerSource live = new CustomerSource(stack, null).trusting();
      stack.rhsm.holds(live.orgId, RhsmStub.AWS, live.awsAccount, Long.toString(live.sourceId));
      stack.rhsm.holds(live.orgId, RhsmStub.AWS, "444444444444", "464646");

      // the dead owner's partition moves after the 8 s session, not the client's default 45 s;
      // then a run is due within an interval
      await()
          .atMost(Duration.ofSeconds(40).minus(Duration.between(killed, Instant.now())))
          .until(() -> !stack.rhsm.heldFor(live.orgId).containsKey("444444444444"));
      // counted once RHSM's answer is back in the service, a moment after RHSM holds it no more
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> survivor.metric("cloudoreg_reconcile_orphans_removed_total") >= 1);
      assertThat(survivor.metric("cloudoreg_reconcile_orphans_removed_total")).isEqualTo(1);
      assertThat(stack.rhsm.heldFor(live.orgId)).containsKey(live.awsAccount);
    } finally {
      a.kill();
      b.kill();
    }
  }

  /**
   * A destroy records each delegation it is to end in the trust ledger before RHSM's trust goes.
   * What a destroy did not settle — Azure gave no answer that settles it, or the replica stopped
   * after RHSM's removal (written here as such a replica leaves it) — the reconciliation ends,
   * once, unless RHSM holds the subscription for the org. A subscription a new source trusts again
   * is that source's: never ended, not even once a refused update has removed its trust (a refused
   * update never ends a delegation, until its source is gone); one an update or a fenced writer's
   * take-back kept ends once its application is gone. One deployment for them all: each is a server
   * start less.
   */
  @Test
  void delegationsDestroysLeftToEndAreEndedByTheReconciliationUnlessTrustedAgain() {
    stack.resetPeers();
    String name = "reconcile-delegations";
    LibertyServer server = deployment(name, Map.of(GRACE, "PT1S"));
    try (Events events = new Events(stack.kafka.bootstrapServers(), name + "-events");
        Events ledger = new Events(stack.kafka.bootstrapServers(), name + "-trust")) {
      server.start();
      CustomerSource failed = new CustomerSource(stack, events).delegating();
      String failedAssignment = UUID.randomUUID().toString();
      StubMapping failedOutage = destroyWhileResourceManagerFails(server, failed, failedAssignment);
      assertThat(stack.rhsm.holdings(failed.orgId)).as("RHSM's trust goes all the same").isEmpty();
      CustomerSource readded = new CustomerSource(stack, events).delegating();
      StubMapping readdedOutage =
          destroyWhileResourceManagerFails(server, readded, UUID.randomUUID().toString());

      String trustedAgain = UUID.randomUUID().toString();
      stack.rhsm.holds("reconcile-delegations-org", "MSAZ", trustedAgain, "808080");
      stack.azure.ourAssignment(trustedAgain, UUID.randomUUID().toString());
      ledger.send(
          "delegation:" + trustedAgain,
          Map.of(),
          delegationToEnd(trustedAgain, "reconcile-delegations-org", "797979"));
      String stopped = UUID.randomUUID().toString();
      String stoppedAssignment = UUID.randomUUID().toString();
      stack.azure.ourAssignment(stopped, stoppedAssignment);
      ledger.send(
          "delegation:" + stopped,
          Map.of(),
          delegationToEnd(stopped, "reconcile-delegations-org", "787878"));

      // the customer adds the destroyed source's subscription again, in a new source
      CustomerSource added = new CustomerSource(stack, events, readded);
      added.inSourcesAzure(readded.subscriptionId);
      added.sendCreate();
      added.awaitAvailable();
      stack.azure.resourceManager().removeStub(failedOutage);
      stack.azure.resourceManager().removeStub(readdedOutage);
      String typo = readded.subscriptionId.substring(0, 30) + "zz";
      added.inSourcesAzure(typo);
      added.send(EventTypes.AUTHENTICATION_UPDATE, added.azureAuthenticationUpdateBody(typo));
      assertThat(added.awaitStatuses(2).get(1).value()).contains("\"error\":\"CG1006: ");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stack.rhsm.holdings(readded.orgId).isEmpty());

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  stack.azure.deletions(stopped, stoppedAssignment) == 1
                      && stack.azure.deletions(failed.subscriptionId, failedAssignment) == 1);
      // the run that ended them had read every record (in their order): once it and the next are
      // complete, those held or trusted again were weighed and left, and those ended are settled
      awaitCompleteRuns(server, 2);
      assertThat(stack.azure.deletions(trustedAgain)).as("RHSM holds it for the org").isEmpty();
      assertThat(stack.azure.deletions(readded.subscriptionId))
          .as("the new source's delegation: a refused update never ends one")
          .isEmpty();
      assertThat(
              List.of(
                  stack.azure.deletions(stopped, stoppedAssignment),
                  stack.azure.deletions(failed.subscriptionId, failedAssignment)))
          .as("each ended once: its record settled, the stand-in still lists it")
          .containsExactly(1, 1);

      // a create whose write is fenced out: the customer corrects the subscription while Resource
      // Manager answers for the first, so the write of the first is taken back (its delegation
      // stays, recorded) and the corrected one trusted
      CustomerSource fenced = new CustomerSource(stack, events).delegating();
      String fencedAssignment = UUID.randomUUID().toString();
      stack.azure.ourAssignment(fenced.subscriptionId, fencedAssignment);
      String corrected = UUID.randomUUID().toString();
      stack.azure.delegated(corrected, "Enabled");
      stack.azure.resourceManager().setGlobalFixedDelay(1500);
      fenced.sendCreate();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !stack
                      .sources
                      .server()
                      .findAll(
                          getRequestedFor(
                              urlPathEqualTo(
                                  SourcesStub.PUBLIC_API
                                      + "/authentications/"
                                      + fenced.authenticationId)))
                      .isEmpty());
      fenced.inSourcesAzure(corrected);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  stack.rhsm.holdings(fenced.orgId).stream()
                      .map(RhsmStub.Held::id)
                      .toList()
                      .equals(List.of(corrected)));
      stack.azure.resourceManager().setGlobalFixedDelay(0);
      assertThat(stack.rhsm.server().findAll(postRequestedFor(urlPathEqualTo(MSAZ_ACCOUNTS))))
          .as("the first subscription was written, and taken back by the fence")
          .anyMatch(written -> written.getBodyAsString().contains(fenced.subscriptionId));

      // the customer removes the application whose update was refused (the source stays), and
      // the one whose write was fenced out: the delegations kept for them end once Sources no
      // longer has the application (the destroy, finding RHSM holding nothing of them, cannot)
      for (CustomerSource removed : List.of(added, fenced)) {
        stack.sources.destroyApplication(removed.orgId, removed.applicationId);
        removed.send(
            EventTypes.APPLICATION_DESTROY,
            removed.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  stack.azure.deletions(readded.subscriptionId).size() == 1
                      && stack.azure.deletions(fenced.subscriptionId, fencedAssignment) == 1);
    } finally {
      server.kill();
    }
  }

  /**
   * The customer's source, whose subscription holds our offer's {@code assignment}, becomes
   * available, then is destroyed while Resource Manager fails: the destroy cannot end the
   * delegation. Returns the failure's stub, for the test to end the outage.
   */
  private StubMapping destroyWhileResourceManagerFails(
      LibertyServer server, CustomerSource customer, String assignment) {
    stack.azure.ourAssignment(customer.subscriptionId, assignment);
    customer.sendCreate();
    customer.awaitAvailable();
    StubMapping outage = stack.azure.assignmentsFailing(customer.subscriptionId);
    double failedBefore =
        server.metric("cloudoreg_azure_delegation_removals_total", "result", "failed");
    // as Sources does: the application deleted, then the event raised
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                server.metric("cloudoreg_azure_delegation_removals_total", "result", "failed")
                    > failedBefore);
    return outage;
  }

  /** Until {@code runs} more reconciliation runs have completed. */
  private static void awaitCompleteRuns(LibertyServer server, int runs) {
    double before = server.metric("cloudoreg_reconcile_runs_total", "result", "complete");
    await()
        .atMost(INTERVAL.multipliedBy(runs + 8))
        .until(
            () ->
                server.metric("cloudoreg_reconcile_runs_total", "result", "complete")
                    >= before + runs);
  }

  private static String delegationToEnd(String subscription, String orgId, String sourceId) {
    return Json.createObjectBuilder()
        .add("subscription_id", subscription)
        .add("org_id", orgId)
        .add("source_id", sourceId)
        .build()
        .toString();
  }

  @Test
  void anOperatorReconcilesOneOrgOnDemand() {
    stack.resetPeers();
    CustomerSource customer = new CustomerSource(stack, null).trusting();
    stack.rhsm.holds(
        customer.orgId, RhsmStub.AWS, customer.awsAccount, Long.toString(customer.sourceId));
    stack.rhsm.holds(customer.orgId, RhsmStub.AWS, "666666666666", "434343");
    // Sources' router, not Sources, says 404 for this one: nothing is known of the source
    stack.rhsm.holds(customer.orgId, RhsmStub.AWS, "777777777777", "535353");
    stack.sources.sourceAnswers(535353, SourcesStub.routeNotFound());

    var answer = reconcileOnDemand(customer.orgId);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body())
        .contains("\"orphans\":[\"434343\"]", "\"sources_unread\":1", "\"mode\":\"live\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !stack.rhsm.heldFor(customer.orgId).containsKey("666666666666"));
    assertThat(stack.rhsm.heldFor(customer.orgId))
        .containsKey(customer.awsAccount)
        .as("a 404 that is not Sources' own is no proof the source is gone")
        .containsKey("777777777777");
  }

  /**
   * An Azure source gone without our seeing its destroy (down past the topic's retention, or never
   * raised): its trust goes and, as a destroy's would, our Lighthouse delegation with it, as
   * cloudigrade's deletion of an orphan's account ended it — recorded as the trust goes, ended by
   * the next run (unless the org trusts the subscription again by then).
   */
  @Test
  void anOrphansAzureDelegationIsEndedByTheNextRun() {
    stack.resetPeers();
    String name = "reconcile-orphan-delegation";
    Duration grace = Duration.ofSeconds(6);
    LibertyServer server = deployment(name, Map.of(GRACE, grace.toString()));
    try {
      // the org is one Sources lists: it has another source
      CustomerSource customer = new CustomerSource(stack, null).trusting();
      String orphan = Long.toString(customer.sourceId + 5);
      String subscription = UUID.randomUUID().toString();
      String assignment = UUID.randomUUID().toString();
      stack.rhsm.holds(customer.orgId, "MSAZ", subscription, orphan);
      stack.azure.ourAssignment(subscription, assignment);

      server.start();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> stack.azure.deletions(subscription, assignment) == 1);
      assertThat(stack.rhsm.holdings(customer.orgId))
          .noneMatch(held -> held.id().equals(subscription));
      Instant removed =
          stack
              .rhsm
              .removals(customer.orgId, Long.parseLong(orphan))
              .get(0)
              .getLoggedDate()
              .toInstant();
      Instant ended = stack.azure.deletions(subscription).get(0).getLoggedDate().toInstant();
      assertThat(Duration.between(removed, ended))
          .as("ended by a later run, once the record (written just before) is older than the grace")
          .isGreaterThanOrEqualTo(grace.minusSeconds(1));
    } finally {
      server.kill();
    }
  }

  /** RHSM not answering for the org: the operator is told nothing was checked, never "none". */
  @Test
  void anOperatorIsToldWhenTheOrgCouldNotBeCheckedAtAll() {
    stack.resetPeers();
    CustomerSource customer = new CustomerSource(stack, null).trusting();
    stack
        .rhsm
        .server()
        .stubFor(
            get(urlPathEqualTo("/v1/cloud_access_providers/enabled"))
                .withHeader("X-RhsmApi-AccountID", equalTo(customer.orgId))
                .atPriority(1)
                .willReturn(
                    RhsmStub.error(503, "{\"error\":{\"code\":503,\"message\":\"down\"}}")));

    var answer = reconcileOnDemand(customer.orgId);

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("nothing was checked").doesNotContain("orphans");
  }

  /** The operator's reconcile of one org, on the stack's server. */
  private HttpResponse<String> reconcileOnDemand(String orgId) {
    return stack
        .server()
        .postPrivate(
            "/internal/v1/operator/reconcile", "{\"org_id\":\"" + orgId + "\"}", Stack.OPERATOR);
  }

  /** A deployment of its own: its own topics and groups, reconciling every few seconds. */
  private LibertyServer deployment(String name, Map<String, String> more) {
    return separate(name, name, more);
  }

  private LibertyServer separate(String server, String name, Map<String, String> more) {
    stack.kafka.createTopics(List.of(name + "-events"), 1);
    stack.kafka.createTopics(List.of(name + "-trust"), 1);
    Map<String, String> changes = new HashMap<>(more);
    changes.put("SOURCES_EVENT_TOPIC", name + "-events");
    changes.put("CLOUDOREG_TRUST_TOPIC", name + "-trust");
    changes.put("KAFKA_GROUP_ID", "cloudoreg-" + name);
    changes.put("CLOUDOREG_RECONCILE_INTERVAL", INTERVAL.toString());
    changes.put("CLOUDOREG_RECONCILE_RATE", "50");
    return stack.separateServer("cloudoreg-" + server, changes);
  }
}
