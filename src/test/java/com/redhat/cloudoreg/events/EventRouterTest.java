package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.deadletters.DeadLetters;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.flow.TrustRemovals;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Grant;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.report.OutcomeReporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The events door in process: what is reported, tried again or kept aside, for each kind of
 * decision — with the flow, the reporter and the dead letters as fakes, and the real attempts
 * without pauses (but a peer's Retry-After).
 */
class EventRouterTest {
  private static final String CREATE =
      "{\"id\":1,\"application_id\":101,\"authentication_id\":202,\"tenant\":\"\"}";

  private static final String UPDATE =
      "{\"id\":\"202\",\"authtype\":\"cloud-meter-arn\",\"resource_type\":\"Application\","
          + "\"resource_id\":101}";

  private static final String DESTROY = "{\"id\":101,\"source_id\":55,\"application_type_id\":5}";

  /** The Cloud Meter application of source 55 added back after 101's destroy. */
  private static final long ADDED_BACK = 102;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ScriptedFlow flow = new ScriptedFlow();
  private final RecordingReporter reporter = new RecordingReporter();
  private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
  private final ConsumerActivity activity = new ConsumerActivity();
  private final Attempts attempts =
      new Attempts(
          new InFlightLimit(4),
          activity,
          Runnable::run,
          scheduler,
          new Backoff(Duration.ZERO, Duration.ZERO, () -> 0.5));
  private final EventRouter router =
      new EventRouter(
          flow,
          flow.ending,
          reporter,
          deadLetters,
          attempts,
          new Removals(attempts, reporter, activity),
          new TenantLanes(Runnable::run),
          new PropagationRechecks("PT0S,PT0.1S", scheduler),
          new NoMetrics());

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void anUnknownTypeIsTriedAgainAndNeverBecomesAStatus() {
    flow.decisions.add(decision(Outcome.TYPE_UNKNOWN));
    flow.decisions.add(decision(Outcome.TYPE_UNKNOWN));
    flow.decisions.add(decision(Outcome.TRUSTED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).containsExactly("establish", "establish", "establish");
    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void anOutcomeThatIsOursIsToldOnceAndTriedUntilTheVerdictNeverDeadLettered() {
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.decisions.add(decision(Outcome.INVALID_ARN));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).hasSize(4);
    assertThat(reporter.published)
        .as("CG3100 once on the way, then the verdict")
        .containsExactly(Outcome.TEMPORARILY_IMPOSSIBLE, Outcome.INVALID_ARN);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aThrottledDecisionIsNeverTriedSoonerThanThePeerAsked() {
    Duration asked = Duration.ofMillis(400);
    flow.decisions.add(
        new Decision(
            Outcome.TEMPORARILY_IMPOSSIBLE,
            Optional.of("55"),
            "throttled",
            Optional.empty(),
            Optional.of(asked),
            Optional.empty()));
    flow.decisions.add(decision(Outcome.TRUSTED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(Duration.ofNanos(flow.times.get(1) - flow.times.get(0)))
        .isGreaterThanOrEqualTo(asked);
  }

  @Test
  void aThrottledRemovalIsNeverTriedSoonerThanThePeerAsked() {
    Duration asked = Duration.ofMillis(400);
    flow.removals.add(
        new Decision(
            Outcome.REMOVAL_UNCONFIRMED,
            Optional.of("55"),
            "throttled",
            Optional.empty(),
            Optional.of(asked),
            Optional.empty()));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Application.destroy", DESTROY)));

    assertThat(flow.journal).containsExactly("destroy", "destroy");
    assertThat(Duration.ofNanos(flow.times.get(1) - flow.times.get(0)))
        .isGreaterThanOrEqualTo(asked);
  }

  @Test
  void aRemovalRhsmCannotConfirmIsTriedUntilConfirmedAndNeverDeadLettered() {
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    List<Integer> pendingSeen = new ArrayList<>();
    flow.onRemove = () -> pendingSeen.add(activity.pendingRemovals());
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Application.destroy", DESTROY)));

    assertThat(flow.journal).containsExactly("destroy", "destroy", "destroy");
    assertThat(pendingSeen)
        .as("a destroy's is marked by its event's consumer, from the moment it was taken")
        .containsExactly(0, 0, 0);
    assertThat(activity.pendingRemovals()).isZero();
    assertThat(deadLetters.reasons).isEmpty();
    assertThat(reporter.published).isEmpty();
  }

  /**
   * A destroy's removal that found, once landed, a Cloud Meter application on the source again
   * (RHEL management added back and trusted on another replica meanwhile) verifies it again before
   * the destroy is done: the removal took what its grant justifies. Its verdict is told on that
   * application. The removal is no longer pending while that verification waits for its verdict.
   */
  @Test
  void aDestroysRemovalThatFoundTheSourceWithACloudMeterApplicationAgainVerifiesIt() {
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.GRANT_REPLACED));
    flow.decisions.add(trusted("333333333333"));
    SourcesEvent destroy = event("Application.destroy", DESTROY);
    // as the consumer marks it when it takes the event
    activity.destroyTaken(destroy.coordinates());
    List<Integer> pendingWhileVerifying = new ArrayList<>();
    flow.onReverify = () -> pendingWhileVerifying.add(activity.pendingRemovals());

    settle(router.route(destroy));

    assertThat(flow.journal).containsExactly("destroy", "destroy", "reverify");
    assertThat(flow.reverified).containsExactly(ADDED_BACK);
    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
    assertThat(pendingWhileVerifying).containsExactly(0);
  }

  /**
   * Any other removal (here an update's old trust) shows as pending from its first failure on —
   * waiting for RHSM or for Sources to tell what it needs — until it is done.
   */
  @Test
  void anUpdatesRemovalIsPendingFromItsFirstFailureUntilDone() {
    flow.decisions.add(trusted("210987654321"));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.TYPE_UNKNOWN));
    List<Integer> pendingSeen = new ArrayList<>();
    flow.onRemove = () -> pendingSeen.add(activity.pendingRemovals());
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(pendingSeen).containsExactly(0, 1, 1);
    assertThat(activity.pendingRemovals()).isZero();
  }

  @Test
  void aStatusKafkaDidNotTakeIsPublishedAgainFromTheSameDecision() {
    flow.decisions.add(decision(Outcome.TRUSTED));
    reporter.failNextPublish = true;

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).as("decided once, not verified again").containsExactly("establish");
    assertThat(reporter.publishAttempts).isEqualTo(2);
    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
    assertThat(deadLetters.reasons).isEmpty();
  }

  /**
   * Kafka refused the status, and before it is sent again the grant it was decided on is no longer
   * the application's (the partition moved meanwhile; its new owner told the newer verdict): not
   * sent again, and the event is done.
   */
  @Test
  void aStatusKafkaDidNotTakeIsNotSentAgainOnceItsGrantWasReplaced() {
    flow.decisions.add(decision(Outcome.ROLE_NOT_ASSUMABLE));
    reporter.failNextPublish = true;
    flow.stillCurrent = false;

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.publishAttempts).isEqualTo(1);
    assertThat(reporter.published).isEmpty();
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aRefusedUpdateTellsTheRefusalsOwnCodeAndRemovesTheOldTrustDurably() {
    flow.decisions.add(decision(Outcome.INVALID_ARN));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(reporter.published).as("never CG3100").containsExactly(Outcome.INVALID_ARN);
    assertThat(flow.journal)
        .as("the trust only: the customer fixes a typo without redeploying an Azure offer")
        .containsExactly("establish", "removeRefusedReplacement");
    assertThat(deadLetters.reasons).isEmpty();
  }

  /**
   * A refusal's removal that RHSM confirmed only after its first attempt verifies the grant again
   * once it landed: the customer may have fixed the role meanwhile and a check on another pod
   * trusted it, which the late removal took. Its verdict is told, a refusal again too: that check
   * may have told "available".
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aRefusalsRemovalThatLandedLateVerifiesTheGrantAgain(boolean fixedMeanwhile) {
    Grant refused = new Grant("202", "cloud-meter-arn", Optional.of("arn"), Optional.of("id"));
    flow.decisions.add(decision(Outcome.ROLE_NOT_ASSUMABLE).on(refused));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));
    flow.decisions.add(
        fixedMeanwhile ? trusted("123456789012") : decision(Outcome.ROLE_NOT_ASSUMABLE));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(flow.journal)
        .containsExactly(
            "establish", "removeRefusedReplacement", "removeRefusedReplacement", "reverify");
    assertThat(reporter.published)
        .containsExactlyElementsOf(
            fixedMeanwhile
                ? List.of(Outcome.ROLE_NOT_ASSUMABLE, Outcome.TRUSTED)
                : List.of(Outcome.ROLE_NOT_ASSUMABLE, Outcome.ROLE_NOT_ASSUMABLE));
  }

  /**
   * The update's removal — of the old accounts, or of all of them after a refusal — landed after
   * its grant was replaced (on another replica): the current grant is verified again, as the
   * application has it now, and that verdict told; nothing more is removed.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anUpdatesRemovalThatFoundItsGrantReplacedVerifiesTheCurrentGrantAgain(boolean trusted) {
    flow.decisions.add(trusted ? trusted("210987654321") : decision(Outcome.INVALID_ARN));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.GRANT_REPLACED));
    flow.decisions.add(trusted("333333333333"));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    String removal = trusted ? "removeAllBut" : "removeRefusedReplacement";
    assertThat(flow.journal).containsExactly("establish", removal, removal, "reverify");
    assertThat(reporter.published)
        .containsExactly(trusted ? Outcome.TRUSTED : Outcome.INVALID_ARN, Outcome.TRUSTED);
    assertThat(flow.removals).as("the verification removes nothing").hasSize(1);
    assertThat(deadLetters.reasons).isEmpty();
  }

  /**
   * The customer deleted the application's authentication: the application's grant as it is now
   * decides — none, told, and the source's trust removed durably; another authtype, no call.
   */
  @Test
  void aDeletedAuthenticationDecidesOnWhatTheApplicationHasNow() {
    flow.decisions.add(decision(Outcome.AUTHENTICATION_MISSING));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.destroy", UPDATE)));
    settle(
        router.route(
            event("Authentication.destroy", UPDATE.replace("cloud-meter-arn", "access_key"))));

    assertThat(flow.journal)
        .containsExactly("reverify", "removeRefusedReplacement", "removeRefusedReplacement");
    assertThat(reporter.published).containsExactly(Outcome.AUTHENTICATION_MISSING);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void anUpdateWhoseNewGrantCannotBeDecidedWaitsAndTheOldTrustGoesOnlyWhenItIs() {
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.decisions.add(trusted("210987654321"));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(flow.journal).containsExactly("establish", "establish", "establish", "removeAllBut");
    assertThat(reporter.published).containsExactly(Outcome.TEMPORARILY_IMPOSSIBLE, Outcome.TRUSTED);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aTrustedUpdateRemovesTheReplacedAccountsDurablyAfterReportingAvailable() {
    flow.decisions.add(trusted("210987654321"));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
    assertThat(flow.removals).as("tried until RHSM confirmed").isEmpty();
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aLateWritersRegistrationIsTakenBackDurably() {
    flow.decisions.add(
        Decision.withTrust(
            Outcome.APPLICATION_GONE, "55", "gone", new TrustedAccount("AWS", "123456789012")));
    flow.removals.add(decision(Outcome.REMOVAL_UNCONFIRMED));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.published).as("the application no longer exists").isEmpty();
    assertThat(flow.journal).containsExactly("establish", "takeBack", "takeBack");
  }

  @Test
  void aWriterWhoseGrantWasReplacedTakesItsWriteBackThenVerifiesWhatIsCurrent() {
    flow.decisions.add(
        Decision.withTrust(
            Outcome.GRANT_REPLACED, "55", "replaced", new TrustedAccount("AWS", "123456789012")));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));
    flow.decisions.add(trusted("210987654321"));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).containsExactly("establish", "takeBack", "reverify");
    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
  }

  /**
   * A create whose write outlived its application (destroyed meanwhile) takes it back; the
   * take-back finds, once landed, a Cloud Meter application on the source again, and verifies it.
   */
  @Test
  void aTakeBackThatFoundTheSourceWithACloudMeterApplicationAgainVerifiesIt() {
    flow.decisions.add(
        Decision.withTrust(
            Outcome.APPLICATION_GONE, "55", "gone", new TrustedAccount("AWS", "123456789012")));
    flow.removals.add(decision(Outcome.GRANT_REPLACED));
    flow.decisions.add(trusted("123456789012"));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).containsExactly("establish", "takeBack", "reverify");
    assertThat(flow.reverified).containsExactly(ADDED_BACK);
    assertThat(reporter.published).containsExactly(Outcome.TRUSTED);
  }

  @Test
  void aSubscriptionNotDelegatedYetIsVerifiedAgainAndItsDelegationToldWithoutTheCustomersHelp() {
    flow.decisions.add(decision(Outcome.SUBSCRIPTION_NOT_DELEGATED));
    flow.decisions.add(decision(Outcome.SUBSCRIPTION_NOT_DELEGATED));
    flow.decisions.add(
        Decision.withTrust(
            Outcome.TRUSTED,
            "55",
            "trusted",
            new TrustedAccount("MSAZ", "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e")));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> reporter.published.size() == 2);
    assertThat(reporter.published)
        .as("not delegated told once, then delegated")
        .containsExactly(Outcome.SUBSCRIPTION_NOT_DELEGATED, Outcome.TRUSTED);
    assertThat(flow.journal).containsExactly("establish", "establish", "establish");
    assertThat(metricsSeen).containsExactly("not_delegated", "delegated");
  }

  @Test
  void aRecheckToldOurOutageIsFollowedByItsVerdictEvenTheOneToldBefore() {
    createRecheckedTwice(
        Outcome.SUBSCRIPTION_NOT_DELEGATED,
        Outcome.TEMPORARILY_IMPOSSIBLE,
        Outcome.SUBSCRIPTION_NOT_DELEGATED,
        Outcome.SUBSCRIPTION_NOT_DELEGATED);

    assertThat(reporter.published)
        .as("CG3100 is never the last word: the verdict follows it, but is not repeated after that")
        .containsExactly(
            Outcome.SUBSCRIPTION_NOT_DELEGATED,
            Outcome.TEMPORARILY_IMPOSSIBLE,
            Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  @Test
  void aWriteLeftUnfencedIsFencedAgainAndTakenBackWhenTheApplicationIsGoneByTheVerdict() {
    TrustedAccount written = new TrustedAccount("AWS", "123456789012");
    flow.decisions.add(
        Decision.failedAfterWrite(
            new TransientFailure("Sources answered HTTP 503"), "55", written));
    flow.decisions.add(decision(Outcome.APPLICATION_GONE));
    flow.decisions.add(Decision.withTrust(Outcome.APPLICATION_GONE, "55", "gone", written));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).containsExactly("establish", "establish", "fenceAgain", "takeBack");
    assertThat(reporter.published).containsExactly(Outcome.TEMPORARILY_IMPOSSIBLE);
  }

  /**
   * Two attempts each left a write unfenced, of two accounts (the grant replaced between them):
   * each is fenced again, not only the last one's.
   */
  @Test
  void everyWriteLeftUnfencedIsFencedAgainNotOnlyTheLast() {
    flow.decisions.add(
        Decision.failedAfterWrite(
            new TransientFailure("Sources answered HTTP 503"),
            "55",
            new TrustedAccount("AWS", "123456789012")));
    flow.decisions.add(
        Decision.failedAfterWrite(
            new TransientFailure("Sources answered HTTP 503"),
            "55",
            new TrustedAccount("AWS", "210987654321")));
    flow.decisions.add(decision(Outcome.APPLICATION_GONE));
    flow.decisions.add(decision(Outcome.TRUSTED));
    flow.decisions.add(decision(Outcome.TRUSTED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal)
        .containsExactly("establish", "establish", "establish", "fenceAgain", "fenceAgain");
  }

  @Test
  void aWriteLeftUnfencedThatTheVerdictsOwnFenceConfirmedIsLeftAlone() {
    TrustedAccount written = new TrustedAccount("AWS", "123456789012");
    flow.decisions.add(
        Decision.failedAfterWrite(
            new TransientFailure("Sources answered HTTP 503"), "55", written));
    flow.decisions.add(Decision.withTrust(Outcome.TRUSTED, "55", "trusted", written));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(flow.journal).containsExactly("establish", "establish");
  }

  /**
   * A re-check whose authentication another replaced meanwhile verifies the current grant instead;
   * "not delegated" from it is what the customer was told already: not told again.
   */
  @Test
  void aRecheckOfAGrantReplacedMeanwhileDoesNotTellNotDelegatedAgain() {
    createRecheckedTwice(
        Outcome.SUBSCRIPTION_NOT_DELEGATED,
        Outcome.GRANT_REPLACED,
        Outcome.SUBSCRIPTION_NOT_DELEGATED,
        Outcome.SUBSCRIPTION_NOT_DELEGATED);

    assertThat(flow.journal).containsExactly("establish", "establish", "reverify", "establish");
    assertThat(reporter.published).containsExactly(Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  /** A create decided as {@code decisions} say, in turn, until both its re-checks are counted. */
  private void createRecheckedTwice(Outcome... decisions) {
    for (Outcome outcome : decisions) {
      flow.decisions.add(decision(outcome));
    }
    settle(router.route(event("ApplicationAuthentication.create", CREATE)));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metricsSeen.size() == 2);
  }

  @Test
  void theRechecksOfADelegationAreBounded() {
    for (int i = 0; i < 3; i++) {
      flow.decisions.add(decision(Outcome.SUBSCRIPTION_NOT_DELEGATED));
    }

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> metricsSeen.size() == 2);
    org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(flow.journal).as("the first answer and two re-checks").hasSize(3);
    assertThat(reporter.published).containsExactly(Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  @Test
  void aBugIsADeadLetterWithItsStackTraceAndNoStatus() {
    flow.bug = new NullPointerException("a bug of ours");

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.bugs).containsExactly(flow.bug);
    assertThat(reporter.outcomes).isEmpty();
    assertThat(deadLetters.reasons).containsExactly("internal error: NullPointerException");
  }

  @Test
  void anEventWithoutTenantOrWithABadBodyIsKeptAsItCame() {
    settle(router.route(eventWithoutTenant()));
    settle(router.route(event("ApplicationAuthentication.create", "{not json")));

    assertThat(deadLetters.reasons)
        .satisfiesExactly(
            reason -> assertThat(reason).startsWith("no tenant"),
            reason -> assertThat(reason).startsWith("malformed ApplicationAuthentication.create"));
    assertThat(reporter.outcomes).isEmpty();
  }

  @Test
  void otherEventTypesAreAcknowledgedCheaply() {
    settle(router.route(event("Endpoint.create", "{}")));

    assertThat(flow.journal).isEmpty();
    assertThat(deadLetters.reasons).isEmpty();
  }

  private static Decision decision(Outcome outcome) {
    return Decision.of(outcome, "55", outcome.name());
  }

  private static Decision trusted(String awsAccount) {
    return Decision.withTrust(
        Outcome.TRUSTED, "55", "trusted", new TrustedAccount("AWS", awsAccount));
  }

  private static void settle(CompletionStage<Void> routed) {
    routed.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }

  private static SourcesEvent event(String type, String body) {
    return new SourcesEvent(
        record(
            body,
            new RecordHeader("event_type", bytes(type)),
            new RecordHeader("x-rh-sources-org-id", bytes("7654321"))));
  }

  private static SourcesEvent eventWithoutTenant() {
    return new SourcesEvent(
        record(CREATE, new RecordHeader("event_type", bytes("ApplicationAuthentication.create"))));
  }

  private static ConsumerRecord<String, String> record(String body, RecordHeader... headers) {
    return new ConsumerRecord<>(
        "platform.sources.event-stream",
        0,
        7,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "7654321",
        body,
        new RecordHeaders(List.of(headers).toArray(new RecordHeader[0])),
        Optional.empty());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The use cases, answering from a script; what was called, in order, and when. */
  private static final class ScriptedFlow extends TrustFlow {
    final Deque<Decision> decisions = new ArrayDeque<>();
    final Deque<Decision> removals = new ArrayDeque<>();
    final List<String> journal = new CopyOnWriteArrayList<>();

    /** The applications verified again, in order. */
    final List<Long> reverified = new CopyOnWriteArrayList<>();

    final List<Long> times = new CopyOnWriteArrayList<>();
    Runnable onRemove = () -> {};
    Runnable onReverify = () -> {};
    RuntimeException bug;

    @Override
    public Decision establish(Caller caller, long applicationId, long authenticationId) {
      return next("establish");
    }

    @Override
    public Decision reverify(Caller caller, long applicationId) {
      reverified.add(applicationId);
      onReverify.run();
      return next("reverify");
    }

    @Override
    public Decision fenceAgain(Caller caller, long applicationId, Decision unfenced) {
      return next("fenceAgain");
    }

    /** Whether a verdict's grant is still the application's, as a re-send asks. */
    volatile boolean stillCurrent = true;

    @Override
    public boolean stillToTell(Caller caller, long applicationId, Decision verdict) {
      return stillCurrent;
    }

    /** The use cases that end trust, answering from the same script. */
    final TrustRemovals ending =
        new TrustRemovals() {
          @Override
          public Function<Caller, Decision> removalOfDestroyed(
              long applicationId, long sourceId, long applicationTypeId, Set<Long> onSourceAgain) {
            return attempt -> {
              Decision removed = removal("destroy");
              if (removed.outcome() == Outcome.GRANT_REPLACED) {
                onSourceAgain.add(ADDED_BACK);
              }
              return removed;
            };
          }

          @Override
          public Decision removeReplaced(
              Caller caller, long applicationId, Decision decided, boolean azureGrant) {
            return removal(
                decided.outcome() == Outcome.TRUSTED ? "removeAllBut" : "removeRefusedReplacement");
          }

          @Override
          public Decision takeBack(
              Caller caller, long applicationId, Decision left, Set<Long> onSourceAgain) {
            Decision removed = removal("takeBack");
            if (removed.outcome() == Outcome.GRANT_REPLACED) {
              onSourceAgain.add(ADDED_BACK);
            }
            return removed;
          }
        };

    private Decision removal(String what) {
      journal.add(what);
      times.add(System.nanoTime());
      onRemove.run();
      return removals.remove();
    }

    private Decision next(String what) {
      journal.add(what);
      times.add(System.nanoTime());
      if (bug != null) {
        throw bug;
      }
      return decisions.remove();
    }
  }

  /**
   * What was recorded and what became a status on the application; a publication can be made to
   * fail as Kafka would.
   */
  private static final class RecordingReporter extends OutcomeReporter {
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final List<Outcome> published = new CopyOnWriteArrayList<>();
    final List<Throwable> bugs = new CopyOnWriteArrayList<>();
    volatile boolean failNextPublish;
    volatile int publishAttempts;

    @Override
    public void record(
        String what, Caller caller, Optional<Long> applicationId, Decision decision, long started) {
      outcomes.add(decision.outcome());
    }

    @Override
    public CompletionStage<Void> publish(Caller caller, long applicationId, Outcome outcome) {
      if (outcome.availability().isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      publishAttempts++;
      if (failNextPublish) {
        failNextPublish = false;
        return CompletableFuture.failedFuture(new IllegalStateException("broker away"));
      }
      published.add(outcome);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unreportable(String coordinates, Optional<String> eventType, String reason) {}

    @Override
    public void internalError(String coordinates, Optional<String> eventType, Throwable bug) {
      bugs.add(bug);
    }
  }

  private static final class RecordingDeadLetters extends DeadLetters {
    final List<String> reasons = new ArrayList<>();

    @Override
    public CompletionStage<Void> send(ConsumerRecord<String, String> original, String reason) {
      reasons.add(reason);
      return CompletableFuture.completedFuture(null);
    }
  }

  private final List<String> metricsSeen = new CopyOnWriteArrayList<>();

  private final class NoMetrics extends FlowMetrics {
    @Override
    public void propagationRecheck(String result) {
      metricsSeen.add(result);
    }

    @Override
    public void consumed(String eventType) {}

    @Override
    public void decided(Outcome outcome, Duration took) {}

    @Override
    public void deadLettered(DeadLetterKind kind) {}

    @Override
    public void statusUndelivered() {}
  }
}
