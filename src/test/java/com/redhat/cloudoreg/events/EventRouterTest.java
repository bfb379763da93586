package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.deadletters.DeadLetters;
import com.redhat.cloudoreg.flow.TrustFlow;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.report.OutcomeReporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The events door in process: what is reported, tried again or kept aside, for each kind of
 * decision — with the flow, the reporter and the dead letters as fakes, and attempts retried at
 * once (in the container, MP Fault Tolerance schedules them).
 */
class EventRouterTest {
  private static final String CREATE =
      "{\"id\":1,\"application_id\":101,\"authentication_id\":202,\"tenant\":\"\"}";

  private static final String UPDATE =
      "{\"id\":\"202\",\"authtype\":\"cloud-meter-arn\",\"resource_type\":\"Application\","
          + "\"resource_id\":101}";

  private final ScriptedFlow flow = new ScriptedFlow();
  private final RecordingReporter reporter = new RecordingReporter();
  private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
  private final ConsumerActivity activity = new ConsumerActivity();
  private final ImmediateAttempts attempts = new ImmediateAttempts(activity);
  private final EventRouter router =
      new EventRouter(flow, reporter, deadLetters, attempts, activity, new NoMetrics());

  @Test
  void anUnknownTypeIsTriedAgainAndNeverBecomesAStatus() {
    flow.decisions.add(decision(Outcome.TYPE_UNKNOWN));
    flow.decisions.add(decision(Outcome.TYPE_UNKNOWN));
    flow.decisions.add(decision(Outcome.TRUSTED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(attempts.count).isEqualTo(3);
    assertThat(reporter.published()).containsExactly(Outcome.TRUSTED);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aRemovalRhsmCannotConfirmIsTriedUntilConfirmedAndNeverDeadLettered() {
    flow.removals.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.removals.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    List<Integer> pendingSeen = new ArrayList<>();
    flow.onRemove = () -> pendingSeen.add(activity.pendingRemovals());
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(
        router.route(
            event(
                "Application.destroy", "{\"id\":101,\"source_id\":55,\"application_type_id\":5}")));

    assertThat(attempts.count).isEqualTo(3);
    assertThat(pendingSeen).as("pending from the first failure on").containsExactly(0, 1, 1);
    assertThat(activity.pendingRemovals()).isZero();
    assertThat(deadLetters.reasons).isEmpty();
    assertThat(reporter.published()).isEmpty();
  }

  @Test
  void anOutcomeKafkaDidNotTakeIsReportedAgainNotLeftUnacknowledged() {
    flow.decisions.add(decision(Outcome.TRUSTED));
    flow.decisions.add(decision(Outcome.TRUSTED));
    reporter.failNext = true;

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.outcomes).containsExactly(Outcome.TRUSTED, Outcome.TRUSTED);
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aRefusedUpdateTellsTheRefusalsOwnCodeAndRemovesTheOldTrustDurably() {
    flow.decisions.add(decision(Outcome.INVALID_ARN));
    flow.removals.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(reporter.published()).as("never CG3100").containsExactly(Outcome.INVALID_ARN);
    assertThat(flow.removals).isEmpty();
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aTrustedUpdateRemovesTheReplacedAccountsDurablyAfterReportingAvailable() {
    flow.decisions.add(
        Decision.withTrust(
            Outcome.TRUSTED, "55", "trusted", new TrustedAccount("AWS", "210987654321")));
    flow.removals.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("Authentication.update", UPDATE)));

    assertThat(reporter.published()).containsExactly(Outcome.TRUSTED);
    assertThat(flow.removals).as("tried until RHSM confirmed").isEmpty();
    assertThat(deadLetters.reasons).isEmpty();
  }

  @Test
  void aLateWritersRegistrationIsTakenBackDurably() {
    flow.decisions.add(
        Decision.withTrust(
            Outcome.APPLICATION_GONE, "55", "gone", new TrustedAccount("AWS", "123456789012")));
    flow.removals.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));
    flow.removals.add(decision(Outcome.TRUST_REMOVED));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.published()).as("the application no longer exists").isEmpty();
    assertThat(flow.removals).isEmpty();
  }

  @Test
  void aSpentRetryBudgetOnACreateIsCg3100AndADeadLetterForReplay() {
    flow.decisions.add(decision(Outcome.TEMPORARILY_IMPOSSIBLE));

    settle(router.route(event("ApplicationAuthentication.create", CREATE)));

    assertThat(reporter.published()).containsExactly(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(deadLetters.reasons).singleElement().asString().startsWith("retry budget spent");
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

    assertThat(flow.calls).isZero();
    assertThat(deadLetters.reasons).isEmpty();
  }

  private static Decision decision(Outcome outcome) {
    return Decision.of(outcome, "55", outcome.name());
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

  /** The use cases, answering from a script. */
  private static final class ScriptedFlow extends TrustFlow {
    final Deque<Decision> decisions = new ArrayDeque<>();
    final Deque<Decision> removals = new ArrayDeque<>();
    Runnable onRemove = () -> {};
    RuntimeException bug;
    int calls;

    @Override
    public Decision establish(Caller caller, long applicationId, long authenticationId) {
      return next();
    }

    @Override
    public Decision replace(Caller caller, long applicationId, long authenticationId) {
      return next();
    }

    @Override
    public Decision remove(Caller caller, String sourceId) {
      onRemove.run();
      return removals.remove();
    }

    @Override
    public Decision removeIfCloudMeter(Caller caller, long sourceId, long applicationTypeId) {
      return remove(caller, Long.toString(sourceId));
    }

    @Override
    public Decision removeAllBut(Caller caller, String sourceId, TrustedAccount kept) {
      return remove(caller, sourceId);
    }

    private Decision next() {
      calls++;
      if (bug != null) {
        throw bug;
      }
      return decisions.remove();
    }
  }

  /** What was reported; the first report can be made to fail as Kafka would. */
  private static final class RecordingReporter extends OutcomeReporter {
    final List<Outcome> outcomes = new ArrayList<>();
    final List<Outcome> withApplication = new ArrayList<>();
    final List<Throwable> bugs = new ArrayList<>();
    boolean failNext;

    @Override
    public CompletionStage<Void> report(
        String what, Caller caller, Optional<Long> applicationId, Decision decision, long started) {
      outcomes.add(decision.outcome());
      applicationId.ifPresent(id -> withApplication.add(decision.outcome()));
      if (failNext) {
        failNext = false;
        return CompletableFuture.failedFuture(new IllegalStateException("broker away"));
      }
      return CompletableFuture.completedFuture(null);
    }

    /** The outcomes that became a status on the application. */
    List<Outcome> published() {
      return withApplication.stream().filter(o -> o.availability().isPresent()).toList();
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

  /** Attempts retried at once on {@link Unsettled}, as MP Fault Tolerance would after a pause. */
  private static final class ImmediateAttempts extends Attempts {
    int count;

    ImmediateAttempts(ConsumerActivity activity) {
      super(new InFlightLimit(4), activity, Runnable::run);
    }

    @Override
    public CompletionStage<Void> untilSettled(Supplier<CompletionStage<Void>> step) {
      for (int attempt = 0; attempt < 10; attempt++) {
        count++;
        try {
          once(step).toCompletableFuture().get(5, TimeUnit.SECONDS);
          return CompletableFuture.completedFuture(null);
        } catch (java.util.concurrent.ExecutionException failed) {
          if (!(failed.getCause() instanceof Unsettled)) {
            return CompletableFuture.failedFuture(failed.getCause());
          }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
          throw new CompletionException(e);
        }
      }
      throw new AssertionError("not settled after 10 attempts");
    }
  }

  private static final class NoMetrics extends FlowMetrics {
    @Override
    public void consumed(String eventType) {}

    @Override
    public void decided(Outcome outcome, Duration took) {}

    @Override
    public void deadLettered(DeadLetterKind kind) {}
  }
}
