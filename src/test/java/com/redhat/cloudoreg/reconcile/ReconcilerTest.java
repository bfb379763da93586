package com.redhat.cloudoreg.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.DelegationRemoval;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.events.Attempts;
import com.redhat.cloudoreg.events.Backoff;
import com.redhat.cloudoreg.events.ConsumerActivity;
import com.redhat.cloudoreg.events.InFlightLimit;
import com.redhat.cloudoreg.events.Removals;
import com.redhat.cloudoreg.flow.TrustRemovals;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.RecordingLedger;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.report.OutcomeReporter;
import com.redhat.cloudoreg.rhsm.EnabledProviders;
import com.redhat.cloudoreg.rhsm.InMemoryRhsm;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.InMemorySources;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciliation's rules in process, against in-memory Sources and RHSM. */
class ReconcilerTest {
  private static final String ORG = "7654321";
  private static final String LEAVING = "1111111";
  private static final String ACCOUNT = "123456789012";
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";
  private static final String ANOTHER_SUBSCRIPTION = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final InMemorySources sources = new InMemorySources();
  private final TimedRhsm rhsm = new TimedRhsm();
  private final RecordingLedger ledger = new RecordingLedger();
  private final EndingAzure azure = new EndingAzure();
  private final CountingMetrics metrics = new CountingMetrics();
  private final List<Progress> saved = new ArrayList<>();
  private final ConsumerActivity activity = new ConsumerActivity();

  @BeforeEach
  void anOrgWithALiveSourceAndAGoneOne() {
    sources.source(ORG, 55, "amazon");
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "55");
    rhsm.holds(ORG, Provider.AWS, "210987654321", "56");
    rhsm.holds(ORG, Provider.AWS, "333333333333", null);
    rhsm.holds("another-org", Provider.AWS, "444444444444", "56");
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void trustOfAGoneSourceIsRemovedAndNothingElse() {
    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isTrue();

    await().until(() -> metrics.removed == 1);
    assertThat(rhsm.heldBy(ORG))
        .extracting(InMemoryRhsm.Held::id)
        .as("the live source's and the one added by hand")
        .containsExactlyInAnyOrder(ACCOUNT, "333333333333");
    assertThat(rhsm.heldBy("another-org")).as("never another org's").hasSize(1);
    assertThat(metrics.found).isEqualTo(1);
    assertThat(saved.get(saved.size() - 1).lastCompleted()).isPresent();
  }

  /**
   * The org is found through the ledger. Its orphan's Azure delegation is recorded before its trust
   * goes, as a destroy's is, and ended by the next run, not at once: a source of the org created
   * anew with that subscription (refused while the orphan held it) may trust it meanwhile.
   */
  @Test
  void anOrgWhoseLastSourceIsGoneIsFoundThroughTheLedgerAndItsDelegationEndedByTheNextRun() {
    rhsm.holds(LEAVING, Provider.MSAZ, SUBSCRIPTION, "77");

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(LEAVING), recorded(), () -> true, saved::add);

    await().until(() -> rhsm.heldBy(LEAVING).isEmpty());
    assertThat(ledger.recorded).containsExactly(new DelegationToEnd(SUBSCRIPTION, LEAVING, "77"));
    assertThat(azure.ended).as("not by the run that removed its trust").isEmpty();

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(azure.ended).containsExactly(SUBSCRIPTION);
  }

  /**
   * A delegation a destroy recorded and did not settle ends at the run's start, unless RHSM trusts
   * the subscription for its org again.
   */
  @Test
  void delegationsDestroysLeftToEndAreEndedUnlessTrustedAgain() {
    DelegationToEnd left = new DelegationToEnd(SUBSCRIPTION, LEAVING, "77");
    DelegationToEnd trustedAgain = new DelegationToEnd(ANOTHER_SUBSCRIPTION, ORG, "57");
    rhsm.holds(ORG, Provider.MSAZ, ANOTHER_SUBSCRIPTION, "58");
    sources.source(ORG, 58, "azure");
    ledger.delegations.put(SUBSCRIPTION, left);
    ledger.delegations.put(ANOTHER_SUBSCRIPTION, trustedAgain);

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isTrue();

    assertThat(azure.ended).containsExactly(SUBSCRIPTION);
    assertThat(ledger.delegations).containsOnlyKeys(ANOTHER_SUBSCRIPTION);
  }

  /**
   * A destroy's record left when Sources could not be read after its removal, while RHEL management
   * was added back to the source with that subscription (its trust taken by the removal): the run
   * keeps the delegation for that application rather than end what it needs.
   */
  @Test
  void aDestroysRecordIsKeptForAnApplicationAddedBackThatNamesItsSubscription() {
    sources.application(LEAVING, 102, 77, InMemorySources.CLOUD_METER);
    sources.authentication(
        LEAVING,
        303,
        new Authentication(
            "303",
            Authentication.LIGHTHOUSE_SUBSCRIPTION_ID,
            SUBSCRIPTION,
            null,
            null,
            "Application",
            "102"));
    ledger.delegations.put(SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, LEAVING, "77"));

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isTrue();

    assertThat(azure.ended).isEmpty();
    assertThat(ledger.delegations)
        .containsOnlyKeys(SUBSCRIPTION)
        .containsValue(new DelegationToEnd(SUBSCRIPTION, LEAVING, "77", Optional.of(102L)));
  }

  /**
   * A delegation an update kept (a refused or trusted update removed its trust) ends once Sources
   * no longer has the application, not before: the customer may still correct the id.
   */
  @Test
  void aDelegationAnUpdateKeptEndsOnlyOnceItsApplicationIsGone() {
    sources.application(ORG, 101, 55, InMemorySources.CLOUD_METER);
    ledger.delegations.put(
        SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, ORG, "55", Optional.of(101L)));
    ledger.delegations.put(
        ANOTHER_SUBSCRIPTION,
        new DelegationToEnd(ANOTHER_SUBSCRIPTION, LEAVING, "77", Optional.of(707L)));

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isTrue();

    assertThat(azure.ended)
        .as("application 101 is still there")
        .containsExactly(ANOTHER_SUBSCRIPTION);
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
  }

  /** Sources unread: unknown is not "gone", the delegation and its record stay. */
  @Test
  void aDelegationAnUpdateKeptStaysWhileSourcesCannotSay() {
    sources.applicationReadsFail(true);
    ledger.delegations.put(
        ANOTHER_SUBSCRIPTION,
        new DelegationToEnd(ANOTHER_SUBSCRIPTION, LEAVING, "77", Optional.of(707L)));

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(azure.ended).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(ANOTHER_SUBSCRIPTION);
    assertThat(metrics.skipped).contains("delegation_unread");
  }

  @Test
  void withoutAzureCredentialsTheDelegationsLeftToEndAreLeftAndTheRunGoesOn() {
    DelegationToEnd left = new DelegationToEnd(SUBSCRIPTION, LEAVING, "77");
    ledger.delegations.put(SUBSCRIPTION, left);
    azure.configured = false;

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isTrue();

    assertThat(azure.ended).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
  }

  /** Settled meanwhile (its end, or a source trusting it again): not ended by a run's old list. */
  @Test
  void aDelegationSettledWhileTheRunEndsAnotherIsNotEnded() {
    DelegationToEnd first = new DelegationToEnd(SUBSCRIPTION, LEAVING, "77");
    DelegationToEnd second = new DelegationToEnd(ANOTHER_SUBSCRIPTION, LEAVING, "78");
    ledger.delegations.put(SUBSCRIPTION, first);
    ledger.delegations.put(ANOTHER_SUBSCRIPTION, second);
    // the first end settles the other, as a tombstone the ledger reads meanwhile
    azure.onEnd =
        () ->
            List.of(SUBSCRIPTION, ANOTHER_SUBSCRIPTION).stream()
                .filter(subscription -> !azure.ended.contains(subscription))
                .forEach(ledger::delegationSettled);

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(azure.ended).hasSize(1);
  }

  @Test
  void aDelegationLeftToEndWhoseOrgRhsmCannotAnswerWaitsForTheNextRun() {
    DelegationToEnd left = new DelegationToEnd(SUBSCRIPTION, LEAVING, "77");
    ledger.delegations.put(SUBSCRIPTION, left);
    rhsm.down(true);

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(azure.ended).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
    assertThat(metrics.skipped).containsExactly("delegation_unread", "org_unread");
  }

  @Test
  void anOrgThatHoldsNothingThroughASourceIsForgottenByTheLedger() {
    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(LEAVING), recorded(), () -> true, saved::add);

    assertThat(ledger.forgotten).containsExactly(LEAVING);
  }

  @Test
  void aSourceAddedSinceTheListingIsNotGone() {
    Reconciler reconciler = reconciler(Mode.LIVE);
    sources.listDown(false);
    // Sources' list lacks 56, but asked now Sources has it: added after the list was read
    sources.source(ORG, 56, "amazon");
    Reconciler.OrgChecked checked = reconciler.reconcileOrg(ORG, Set.of("55")::contains);

    assertThat(checked.orphans()).isEmpty();
    assertThat(checked.sourcesUnread()).isZero();
    assertThat(rhsm.heldBy(ORG)).hasSize(3);
  }

  /**
   * A run stopped short for Sources' list comes again within minutes: the delegations left to end
   * wait for a run that can go on, not tried (and counted) again each time.
   */
  @Test
  void aListThatCannotBeReadRemovesNothingAndIsCounted() {
    sources.listDown(true);
    ledger.delegations.put(SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, LEAVING, "77"));

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add))
        .isFalse();

    assertThat(rhsm.journal()).isEmpty();
    assertThat(azure.ended).isEmpty();
    assertThat(metrics.skipped).containsExactly("sources_list_unread");
  }

  @Test
  void anOrgRhsmCannotAnswerIsSkippedThisRoundNotTakenForEmpty() {
    rhsm.down(true);

    reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(metrics.skipped).containsExactly("org_unread");
    assertThat(ledger.forgotten).isEmpty();
    assertThat(reconciler(Mode.LIVE).reconcileOrg(ORG, listed -> false))
        .as("nothing checked, never \"no orphans\"")
        .isEqualTo(new Reconciler.OrgChecked(List.of(), false, 0));
  }

  /**
   * An orphan whose removal RHSM keeps refusing is tried again for as long as it takes: the next
   * run (or an operator's call) finding it again starts no second removal of it.
   */
  @Test
  void anOrphanFoundAgainWhileItsRemovalIsUnderWayStartsNoSecondRemoval() {
    rhsm.refusesSourceRemovals(true);
    Reconciler reconciler = reconciler(Mode.LIVE);

    assertThat(reconciler.reconcileOrg(ORG, Set.of("55")::contains).orphans())
        .containsExactly("56");
    await().until(() -> activity.pendingRemovals() == 1);
    assertThat(reconciler.reconcileOrg(ORG, Set.of("55")::contains).orphans())
        .as("still found")
        .containsExactly("56");
    assertThat(activity.pendingRemovals()).as("one removal of it under way").isEqualTo(1);

    rhsm.refusesSourceRemovals(false);
    await().until(() -> activity.pendingRemovals() == 0);
    assertThat(metrics.removed).isEqualTo(1);
  }

  @Test
  void aSourceSourcesCannotAnswerForIsNotGone() {
    Reconciler reconciler = reconciler(Mode.LIVE);
    sources.down(true);

    Reconciler.OrgChecked checked = reconciler.reconcileOrg(ORG, Set.of("55")::contains);

    assertThat(checked.orphans()).isEmpty();
    assertThat(checked.sourcesUnread()).as("never taken for none gone").isEqualTo(1);
    assertThat(metrics.skipped).containsExactly("source_unread");
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void inShadowModeItSaysWhatItWouldRemoveAndRemovesNothing() {
    reconciler(Mode.SHADOW).run(Progress.NONE, Set.of(), recorded(), () -> true, saved::add);

    assertThat(metrics.found).isEqualTo(1);
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void aRunResumesAfterTheLastOrgItFinished() {
    rhsm.holds(LEAVING, Provider.AWS, "555555555555", "78");
    Progress interrupted = Progress.NONE.started(java.time.Instant.EPOCH).through(LEAVING);

    reconciler(Mode.LIVE).run(interrupted, Set.of(LEAVING), recorded(), () -> true, saved::add);

    await().until(() -> metrics.removed == 1);
    assertThat(rhsm.heldBy(LEAVING)).as("finished before the restart").hasSize(1);
    assertThat(rhsm.heldBy(ORG)).hasSize(2);
  }

  @Test
  void aRunStopsWhenAnotherReplicaReconciles() {
    ledger.delegations.put(SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, LEAVING, "77"));

    assertThat(
            reconciler(Mode.LIVE).run(Progress.NONE, Set.of(), recorded(), () -> false, saved::add))
        .isFalse();

    assertThat(rhsm.journal()).isEmpty();
    assertThat(azure.ended).isEmpty();
    assertThat(saved).last().matches(Progress::inRun, "left in its run, for the next owner");
  }

  @Test
  void callsToRhsmKeepToTheRateRemovalsIncluded() {
    rhsm.holds(ORG, Provider.AWS, "222222222222", "57");

    // at 1 a second: the org's read, then each of its two removals — the listing of the source's
    // Azure subscriptions and the removal, two calls — in five one-second cycles, counted from the
    // limiters' making (after this instant)
    long beforeTheLimiters = System.nanoTime();
    List<String> orphans =
        reconciler(Mode.LIVE, 1).reconcileOrg(ORG, Set.of("55")::contains).orphans();

    assertThat(orphans).containsExactlyInAnyOrder("56", "57");
    await().until(() -> metrics.removed == 2);
    assertThat(rhsm.calls).hasSize(5);
    // the fifth call waits for the fifth cycle; Sources' questions (one per orphan, a limiter of
    // their own) alone would let the second removal go in the third
    assertThat(Duration.ofNanos(rhsm.calls.get(4) - beforeTheLimiters))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
  }

  private Reconciler reconciler(Mode mode) {
    return reconciler(mode, 1000);
  }

  private Reconciler reconciler(Mode mode, int ratePerSecond) {
    Attempts attempts =
        new Attempts(
            new InFlightLimit(4),
            activity,
            Runnable::run,
            scheduler,
            new Backoff(Duration.ZERO, Duration.ZERO, () -> 0.5));
    TrustRegistrar trust = new TrustRegistrar(rhsm, mode.name());
    TrustRemovals ending =
        new TrustRemovals(sources, new CloudMeterType(sources), azure, trust, ledger);
    return new Reconciler(
        sources,
        trust,
        ending,
        new Removals(attempts, new SilentReporter(), activity),
        ledger,
        metrics,
        mode,
        ratePerSecond,
        Clock.systemUTC());
  }

  /** Notes when each call that reads or removes trust reached RHSM. */
  private static final class TimedRhsm extends InMemoryRhsm {
    final List<Long> calls = new CopyOnWriteArrayList<>();

    @Override
    public synchronized EnabledProviders enabledProviders(Caller caller) {
      calls.add(System.nanoTime());
      return super.enabledProviders(caller);
    }

    @Override
    public synchronized void removeSourceAccounts(Caller caller, String sourceId) {
      calls.add(System.nanoTime());
      super.removeSourceAccounts(caller, sourceId);
    }
  }

  /** The delegations to end the in-memory ledger holds when asked, every one due. */
  private LeftDelegations recorded() {
    return new LeftDelegations() {
      @Override
      public List<DelegationToEnd> due() {
        return List.copyOf(ledger.delegations.values());
      }

      @Override
      public boolean stillDue(DelegationToEnd left) {
        return left.equals(ledger.delegations.get(left.subscription()));
      }
    };
  }

  /** Azure, where each delegation asked to end ends. */
  private static final class EndingAzure extends AzureVerifier {
    final List<String> ended = new CopyOnWriteArrayList<>();
    volatile boolean configured = true;
    volatile Runnable onEnd = () -> {};

    @Override
    public boolean configured() {
      return configured;
    }

    @Override
    public CompletionStage<DelegationRemoval> endDelegation(SubscriptionId subscription) {
      ended.add(subscription.value());
      onEnd.run();
      return CompletableFuture.completedStage(DelegationRemoval.REMOVED);
    }
  }

  private static final class CountingMetrics extends FlowMetrics {
    volatile int found;
    volatile int removed;
    final List<String> skipped = new CopyOnWriteArrayList<>();

    @Override
    public void reconcileOrphanFound() {
      found++;
    }

    @Override
    public void reconcileOrphanRemoved() {
      removed++;
    }

    @Override
    public void reconcileSkipped(String reason) {
      skipped.add(reason);
    }

    @Override
    public void reconcileCompleted(Duration took, java.time.Instant at) {}
  }

  private static final class SilentReporter extends OutcomeReporter {
    @Override
    public void record(
        String what,
        Caller caller,
        Optional<Long> applicationId,
        Decision decision,
        long started) {}
  }
}
