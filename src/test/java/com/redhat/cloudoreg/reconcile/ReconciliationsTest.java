package com.redhat.cloudoreg.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.logging.CapturedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch of the trust ledger outlives its consumers: one that fails is closed (which hands the
 * role on) and replaced after a pause, until the server stops.
 */
class ReconciliationsTest {
  private static final String TOPIC = "trust";
  private static final TopicPartition LEDGER = new TopicPartition(TOPIC, 0);
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  private CapturedLog log;

  @BeforeEach
  void captureTheWatchsLog() {
    log = CapturedLog.of(Reconciliations.class.getName());
  }

  @AfterEach
  void releaseTheLog() {
    log.release();
  }

  @Test
  void aConsumerThatLostTheBrokerIsReplacedAndTheNewOneTakesTheLedger() throws Exception {
    LedgerConsumer next = assertReplacedAfter(new TimeoutException("Timeout of 60000ms expired"));

    assertThat(next.seekedToBeginning)
        .as("the new consumer read the ledger from its start")
        .isOne();
    assertThat(failures())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getLevel()).as("an outage, not a bug").isEqualTo(Level.WARNING);
              assertThat(record.getThrown()).isNull();
            });
  }

  @Test
  void aConsumerThatFailedOtherwiseIsReplacedAndTheFailureLoggedAsABug() throws Exception {
    assertReplacedAfter(new KafkaException("unexpected"));

    assertThat(failures())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
              assertThat(record.getThrown()).hasMessage("unexpected");
            });
  }

  @Test
  void thePauseDoublesWhileConsumersFailBeforeTheyPolledAndStartsAgainAfterOneThatDid()
      throws Exception {
    LedgerConsumer polledThenFailed = new LedgerConsumer();
    polledThenFailed.schedulePollTask(() -> {});
    polledThenFailed.schedulePollTask(
        () -> polledThenFailed.setPollException(new TimeoutException("broker away")));
    List<LedgerConsumer> consumers =
        List.of(
            failingWith(new TimeoutException("broker away")),
            failingWith(new TimeoutException("broker away")),
            polledThenFailed,
            new LedgerConsumer());
    Made made = new Made(consumers);
    Reconciliations reconciliations = reconciliations(made, Duration.ofSeconds(1));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> consumers.get(3).subscription().contains(TOPIC));
    } finally {
      reconciliations.stop();
      watch.join(Duration.ofSeconds(10).toMillis());
    }

    assertThat(failures())
        .extracting(record -> record.getParameters()[1])
        .as("the pauses announced, in seconds")
        .containsExactly(1L, 2L, 1L);
  }

  @Test
  void anInterruptedConsumerEndsTheWatchWithoutAFailure() throws Exception {
    LedgerConsumer interrupted = new LedgerConsumer();
    // made on the watch's thread, as Kafka's client makes it: the exception interrupts its maker
    interrupted.schedulePollTask(
        () -> interrupted.setPollException(new InterruptException("interrupted")));
    Made made = new Made(List.of(interrupted, new LedgerConsumer()));
    Thread watch = new Thread(reconciliations(made, Duration.ofMillis(100))::watchLedger, "watch");
    watch.start();
    watch.join(Duration.ofSeconds(5).toMillis());

    assertThat(watch.isAlive()).isFalse();
    assertThat(made.calls).as("no consumer made after the interrupt").hasValue(1);
    assertThat(failures()).as("an interrupt is the server stopping, not a failure").isEmpty();
  }

  @Test
  void aStopDuringThePauseEndsTheWatchAtOnce() throws Exception {
    Made made = new Made(List.of(failingWith(new TimeoutException("broker away"))));
    Reconciliations reconciliations = reconciliations(made, Duration.ofMinutes(10));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> made.all.get(0).closed());
    } finally {
      reconciliations.stop();
      watch.join(Duration.ofSeconds(5).toMillis());
    }

    assertThat(watch.isAlive()).as("the watch still waiting out its pause").isFalse();
    assertThat(made.calls).as("consumers made, none after the stop").hasValue(1);
  }

  @Test
  void aStopWhileAConsumerIsMadeEndsTheWatchBeforeItJoins() throws Exception {
    LedgerConsumer late = new LedgerConsumer();
    Reconciliations[] watching = new Reconciliations[1];
    Reconciliations reconciliations =
        reconciliations(
            settings -> {
              watching[0].stop(); // the server stops while the consumer is being made
              return late;
            },
            Duration.ofMillis(100));
    watching[0] = reconciliations;
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    watch.join(Duration.ofSeconds(5).toMillis());

    assertThat(watch.isAlive()).isFalse();
    assertThat(late.subscription()).as("joined the group after the stop").isEmpty();
    assertThat(late.closed()).isTrue();
  }

  /**
   * The delegations destroys left to end, as the ledger's latest record of each says, once recorded
   * a grace ago: a tombstone settles one; a record that cannot be read, names another subscription
   * than its key, or no subscription id in Azure's form counts as none, with a warning.
   */
  @Test
  void theDelegationsLeftToEndAreTheLedgersUnsettledReadableRecordsOlderThanTheGrace() {
    String left = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";
    String settled = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    String young = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    String overwritten = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
    String upperCase = "6F2D7C1E-8D1B-4F57-9B0E-1C2A3B4C5D6F";
    long old = NOW.minus(GRACE).toEpochMilli();
    long now = NOW.toEpochMilli();
    Reconciliations reconciliations = reconciliations(new Made(List.of()), Duration.ZERO);
    Object[][] records = {
      {old, "delegation:" + left, delegation(left)},
      {old, "delegation:" + settled, delegation(settled)},
      {old, "delegation:" + settled, null},
      {now, "delegation:" + young, delegation(young)},
      {old, "delegation:" + overwritten, delegation(overwritten)},
      {old, "delegation:" + overwritten, delegation(left)},
      {old, "delegation:" + upperCase, delegation(upperCase)},
      {old, "delegation:x", "{\"subscription_id\":"},
    };
    for (int offset = 0; offset < records.length; offset++) {
      reconciliations.read(
          new ConsumerRecord<>(
              TOPIC,
              0,
              offset,
              (long) records[offset][0],
              TimestampType.CREATE_TIME,
              0,
              0,
              (String) records[offset][1],
              (String) records[offset][2],
              new RecordHeaders(),
              Optional.empty()));
    }

    LeftDelegations recorded = reconciliations.leftDelegations();
    assertThat(recorded.due()).containsExactly(new DelegationToEnd(left, "7654321", "55"));
    assertThat(recorded.stillDue(new DelegationToEnd(left, "7654321", "55"))).isTrue();
    assertThat(recorded.stillDue(new DelegationToEnd(left, "7654321", "56")))
        .as("recorded otherwise since")
        .isFalse();
    assertThat(recorded.stillDue(new DelegationToEnd(young, "7654321", "55")))
        .as("recorded again within the grace")
        .isFalse();
    assertThat(failures())
        .extracting(LogRecord::getParameters)
        .extracting(parameters -> parameters[0])
        .as("the offsets of the records that cannot be read")
        .containsExactly(5L, 6L, 7L);
  }

  /**
   * A run is ours only in the generation of ownership it began in: the ledger revoked and assigned
   * here again (a rollout's rebalance) is read anew, and a run begun before stops at its next step
   * rather than go on with what it read before (a record back, its settlement not yet).
   */
  @Test
  void aRunBegunBeforeTheLedgerWasRevokedAndAssignedHereAgainIsNoLongerOurs() throws Exception {
    LedgerConsumer ledger = new LedgerConsumer();
    ledger.updateBeginningOffsets(Map.of(LEDGER, 0L));
    ledger.updateEndOffsets(Map.of(LEDGER, 0L));
    ledger.schedulePollTask(() -> ledger.rebalance(List.of(LEDGER)));
    Reconciliations reconciliations =
        reconciliations(new Made(List.of(ledger)), Duration.ofMillis(100));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.seekedToBeginning == 1);
      BooleanSupplier begun = reconciliations.ownershipNow();
      assertThat(begun.getAsBoolean()).isTrue();

      ledger.schedulePollTask(
          () -> {
            ledger.rebalance(List.of());
            ledger.rebalance(List.of(LEDGER));
          });
      await().atMost(Duration.ofSeconds(10)).until(() -> ledger.seekedToBeginning == 2);

      assertThat(begun.getAsBoolean()).as("a run begun before the hand-over").isFalse();
      assertThat(reconciliations.ownershipNow().getAsBoolean())
          .as("ours again, for a run begun from now on")
          .isTrue();
    } finally {
      reconciliations.stop();
      watch.join(Duration.ofSeconds(10).toMillis());
    }
  }

  /**
   * A run handed over writes no progress: the new owner's is the one that holds, and a late save of
   * the old run would send it back over orgs it has checked (or past ones it has not).
   */
  @Test
  void aRunHandedOverSavesNoProgress() {
    List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
    Reconciler savingAnOrg =
        new Reconciler() {
          @Override
          public boolean run(
              Progress from,
              java.util.Set<String> ledgerOrgs,
              LeftDelegations leftDelegations,
              BooleanSupplier stillOurs,
              java.util.function.Consumer<Progress> save) {
            save.accept(from.started(NOW).through("7654321"));
            return false;
          }
        };
    Reconciliations reconciliations =
        new Reconciliations(
            savingAnOrg,
            new com.redhat.cloudoreg.ledger.TrustLedger() {
              @Override
              public void progress(String json) {
                written.add(json);
              }
            },
            new Settings(),
            new com.redhat.cloudoreg.metrics.FlowMetrics() {
              @Override
              public void reconcileRun(boolean complete) {}
            },
            null,
            null,
            Duration.ofHours(1),
            GRACE,
            new Made(List.of()),
            Duration.ZERO,
            Clock.fixed(NOW, ZoneOffset.UTC));

    reconciliations.runOnce(() -> false);
    assertThat(written).as("handed over").isEmpty();

    reconciliations.runOnce(() -> true);
    assertThat(written).singleElement().asString().contains("7654321");
  }

  private static String delegation(String subscription) {
    return "{\"subscription_id\":\""
        + subscription
        + "\",\"org_id\":\"7654321\",\"source_id\":\"55\"}";
  }

  private LedgerConsumer assertReplacedAfter(KafkaException failure) throws Exception {
    LedgerConsumer failing = failingWith(failure);
    LedgerConsumer next = new LedgerConsumer();
    next.updateBeginningOffsets(Map.of(LEDGER, 0L));
    next.updateEndOffsets(Map.of(LEDGER, 0L));
    next.schedulePollTask(() -> next.rebalance(List.of(LEDGER)));
    Reconciliations reconciliations =
        reconciliations(new Made(List.of(failing, next)), Duration.ofMillis(100));
    Thread watch = new Thread(reconciliations::watchLedger, "ledger-watch");
    watch.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> next.seekedToBeginning > 0);
      assertThat(failing.closed()).as("the failed consumer closed, its partition freed").isTrue();
    } finally {
      reconciliations.stop();
      watch.join(Duration.ofSeconds(10).toMillis());
    }
    assertThat(watch.isAlive()).isFalse();
    assertThat(next.closed()).isTrue();
    return next;
  }

  /** What the watch logged of its consumers' failures. */
  private List<LogRecord> failures() {
    return log.records().stream()
        .filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
        .toList();
  }

  private static LedgerConsumer failingWith(KafkaException failure) {
    LedgerConsumer failing = new LedgerConsumer();
    failing.schedulePollTask(() -> failing.setPollException(failure));
    return failing;
  }

  /** Reconciliations whose ledger consumers {@code consumers} makes; never due to run. */
  private static Reconciliations reconciliations(
      Function<Map<String, Object>, Consumer<String, String>> consumers, Duration pause) {
    return new Reconciliations(
        null,
        null,
        new Settings(),
        null,
        null,
        null,
        Duration.ofHours(1),
        GRACE,
        consumers,
        pause,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Hands out the given consumers in turn, counting the calls. */
  private static final class Made
      implements Function<Map<String, Object>, Consumer<String, String>> {
    final List<LedgerConsumer> all;
    final Deque<LedgerConsumer> left;
    final AtomicInteger calls = new AtomicInteger();

    Made(List<LedgerConsumer> consumers) {
      all = new ArrayList<>(consumers);
      left = new ArrayDeque<>(consumers);
    }

    @Override
    public Consumer<String, String> apply(Map<String, Object> settings) {
      calls.incrementAndGet();
      return left.pop();
    }
  }

  /**
   * Kafka's mock consumer, waiting in {@code poll} as the real one does when there is nothing to
   * read (the mock returns at once, and the watch would spin), and counting the seeks to the
   * ledger's start that the watch's rebalance listener makes.
   */
  private static final class LedgerConsumer extends MockConsumer<String, String> {
    volatile int seekedToBeginning;

    LedgerConsumer() {
      super("earliest");
    }

    @Override
    @SuppressWarnings("UnsynchronizedOverridesSynchronized") // super.poll takes the mock's lock
    public ConsumerRecords<String, String> poll(Duration timeout) {
      ConsumerRecords<String, String> records = super.poll(timeout);
      // outside the mock's lock, so the test's own calls are never held up
      if (records.isEmpty()) {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
      return records;
    }

    @Override
    public synchronized void seekToBeginning(Collection<TopicPartition> partitions) {
      super.seekToBeginning(partitions);
      seekedToBeginning++;
    }
  }

  /** The settings the watch reads, as the server's configuration gives them. */
  private static final class Settings extends KafkaClientSettings {
    @Override
    public Map<String, Object> connection() {
      return new HashMap<>();
    }

    @Override
    public String value(String name) {
      return switch (name) {
        case "KAFKA_GROUP_ID" -> "cloudoreg";
        case "KAFKA_SESSION_TIMEOUT_MS" -> "10000";
        case "CLOUDOREG_TRUST_TOPIC" -> TOPIC;
        default -> throw new IllegalArgumentException(name);
      };
    }
  }
}
