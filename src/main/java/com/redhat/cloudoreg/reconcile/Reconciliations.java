package com.redhat.cloudoreg.reconcile;

import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.events.WarmUpGate;
import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.TrustLedger;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * When the reconciliation runs, and on which replica: once across all of them. Every replica
 * consumes the trust ledger (one partition) in one consumer group; Kafka assigns that partition to
 * exactly one member at a time, and that member reconciles. It reads the ledger from its start (the
 * orgs that hold trust through us, the delegations destroys did not settle, and the progress of the
 * last run), then runs every {@code CLOUDOREG_RECONCILE_INTERVAL} ({@code PT24H}; {@code PT0S}:
 * never) after the last complete run (the ledger keeps when), so restarts and rollouts never
 * postpone it once one has completed; the very first one an interval after the service is ready;
 * and at once to finish a run a restart or a handover interrupted, after the last org it finished.
 * When the partition is taken away (a rollout, a rebalance; a crashed owner's after {@code
 * KAFKA_SESSION_TIMEOUT_MS}, as its event partitions), the run stops at the next org: the next
 * owner goes on from the saved progress. Should two replicas overlap for an org or two during a
 * handover, nothing is wrong: a source is removed only when Sources answers it is gone, and a
 * removal RHSM already made is a 404, which is fine.
 */
@ApplicationScoped
public class Reconciliations {
  private static final Logger LOG = Logger.getLogger(Reconciliations.class.getName());

  /** The pause before a run that stopped short (Sources' list unread) is tried again. */
  private static final Duration RETRY = Duration.ofMinutes(5);

  /** The pause before a consumer of the ledger that failed is replaced. */
  private static final Duration CONSUMER_PAUSE = Duration.ofSeconds(10);

  private final Reconciler reconciler;
  private final TrustLedger ledger;
  private final KafkaClientSettings kafka;
  private final FlowMetrics metrics;
  private final WarmUpGate warmUp;
  private final Executor executor;
  private final Duration interval;
  private final Duration delegationEndGrace;
  private final Function<Map<String, Object>, Consumer<String, String>> consumers;
  private final Duration consumerPause;
  private final Clock clock;
  private final Map<String, Boolean> orgs = new ConcurrentHashMap<>();
  private final Map<String, Recorded> leftDelegations = new ConcurrentHashMap<>();
  private final AtomicBoolean owner = new AtomicBoolean();

  /**
   * Bumped at every hand-over and take-over of the ledger. A revoke and a re-assign to this very
   * replica (a rollout's rebalance) clear what was read of the ledger and read it anew: a run begun
   * before must not go on with {@link #owner} true again while a record and its settlement are read
   * back in two polls. A run is ours only in the generation it began in.
   */
  private final AtomicLong generation = new AtomicLong();

  private final AtomicBoolean runInFlight = new AtomicBoolean();

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  private ManagedThreadFactory threads;

  private volatile Progress progress = Progress.NONE;
  private volatile Instant readyAt;
  private volatile Instant notBefore = Instant.MIN;
  private volatile boolean caughtUp;
  private volatile Consumer<String, String> consumer;
  private volatile boolean polled;

  @Inject
  public Reconciliations(
      Reconciler reconciler,
      TrustLedger ledger,
      KafkaClientSettings kafka,
      FlowMetrics metrics,
      WarmUpGate warmUp,
      Executor executor,
      @ConfigProperty(name = "CLOUDOREG_RECONCILE_INTERVAL", defaultValue = "PT24H")
          Duration interval,
      @ConfigProperty(
              name = "CLOUDOREG_DELEGATION_END_GRACE",
              defaultValue = Policy.DELEGATION_END_GRACE)
          Duration delegationEndGrace) {
    this(
        reconciler,
        ledger,
        kafka,
        metrics,
        warmUp,
        executor,
        interval,
        delegationEndGrace,
        settings ->
            new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer()),
        CONSUMER_PAUSE,
        Clock.systemUTC());
  }

  /**
   * With the ledger's consumers made by {@code consumers}, replaced after {@code consumerPause},
   * and time from {@code clock}: so that the replacement of a failed consumer can be proven without
   * a broker that fails on cue, and a record's age without waiting.
   */
  Reconciliations(
      Reconciler reconciler,
      TrustLedger ledger,
      KafkaClientSettings kafka,
      FlowMetrics metrics,
      WarmUpGate warmUp,
      Executor executor,
      Duration interval,
      Duration delegationEndGrace,
      Function<Map<String, Object>, Consumer<String, String>> consumers,
      Duration consumerPause,
      Clock clock) {
    this.reconciler = reconciler;
    this.ledger = ledger;
    this.kafka = kafka;
    this.metrics = metrics;
    this.warmUp = warmUp;
    this.executor = executor;
    this.interval = interval;
    this.delegationEndGrace = delegationEndGrace;
    this.consumers = consumers;
    this.consumerPause = consumerPause;
    this.clock = clock;
  }

  protected Reconciliations() {
    this(null, null, null, null, null, null, Duration.ZERO, Duration.ZERO);
  }

  /** Starts watching the ledger once the application runs, unless reconciling is off. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    if (interval.isZero() || interval.isNegative()) {
      LOG.info("Reconciliation is off (CLOUDOREG_RECONCILE_INTERVAL=PT0S)");
      return;
    }
    metrics.reconcileLastCompleteGauge(
        () -> progress.lastCompleted().map(Instant::getEpochSecond).orElse(0L));
    warmUp.opened().thenRun(() -> readyAt = clock.instant());
    threads.newThread(this::watchLedger).start();
  }

  /**
   * The replica's watch of the ledger: its one thread, until the server stops. A consumer that
   * fails (a broker away longer than the client waits, a bug) is closed, which hands the role to
   * another replica, and a new one joins after a pause: a failure never ends reconciling here. The
   * pause doubles, up to {@link #RETRY}, while consumers fail before they have polled once, so a
   * failure that repeats does not rebalance the group every few seconds.
   */
  void watchLedger() {
    Duration pause = consumerPause;
    while (running()) {
      polled = false;
      try {
        consumeLedger();
      } catch (WakeupException | InterruptException stopping) {
        return;
      } catch (RuntimeException failed) {
        owner.set(false);
        pause = polled ? consumerPause : pause;
        if (failed instanceof RetriableException) {
          LOG.log(
              Level.WARNING,
              "The trust ledger''s consumer lost the broker ({0}): a new one in {1,number,#} s",
              new Object[] {failed.getMessage(), pause.toSeconds()});
        } else {
          long seconds = pause.toSeconds();
          LOG.log(
              Level.SEVERE,
              failed,
              () -> "The trust ledger's consumer failed: a new one in " + seconds + " s");
        }
      }
      try {
        if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        return;
      }
      pause = pause.multipliedBy(2).compareTo(RETRY) < 0 ? pause.multipliedBy(2) : RETRY;
    }
  }

  private boolean running() {
    return stopped.getCount() > 0;
  }

  /** One consumer of the ledger, polling until the server stops or the consumer fails. */
  private void consumeLedger() {
    Map<String, Object> settings = kafka.connection();
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.value("KAFKA_GROUP_ID") + "-reconcile");
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "cloudoreg-reconcile");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a crashed replica's role moves as soon as its event partitions do, not after the client's
    // default of 45 s
    settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, kafka.value("KAFKA_SESSION_TIMEOUT_MS"));
    String topic = kafka.value("CLOUDOREG_TRUST_TOPIC");
    try (Consumer<String, String> ledgerReader = consumers.apply(settings)) {
      consumer = ledgerReader;
      if (!running()) {
        return; // stopped while this consumer was made: its wakeup went to the last one
      }
      ledgerReader.subscribe(Set.of(topic), new Ownership(ledgerReader));
      while (running()) {
        for (ConsumerRecord<String, String> record : ledgerReader.poll(Duration.ofSeconds(1))) {
          read(record);
        }
        polled = true;
        if (owner.get() && !caughtUp) {
          caughtUp =
              ledgerReader.assignment().stream()
                  .allMatch(
                      p -> ledgerReader.position(p) >= ledgerReader.endOffsets(Set.of(p)).get(p));
        }
        if (owner.get() && caughtUp && due() && runInFlight.compareAndSet(false, true)) {
          BooleanSupplier stillOurs = ownershipNow();
          executor.execute(() -> runOnce(stillOurs));
        }
      }
    }
  }

  /**
   * One record of the ledger, read in its order: the latest record of a key is what holds (a
   * delegation's that cannot be read, as none).
   */
  void read(ConsumerRecord<String, String> record) {
    String key = record.key() == null ? "" : record.key();
    if (key.startsWith(TrustLedger.ORG_PREFIX)) {
      String org = key.substring(TrustLedger.ORG_PREFIX.length());
      if (record.value() == null) {
        orgs.remove(org);
      } else {
        orgs.put(org, true);
      }
    } else if (key.startsWith(TrustLedger.DELEGATION_PREFIX)
        || key.startsWith(TrustLedger.KEPT_DELEGATION_PREFIX)) {
      Optional<DelegationToEnd> left =
          record.value() == null ? Optional.empty() : readDelegation(record);
      left.ifPresentOrElse(
          read ->
              leftDelegations.put(
                  key, new Recorded(read, Instant.ofEpochMilli(record.timestamp()))),
          () -> leftDelegations.remove(key));
    } else if (key.equals(TrustLedger.PROGRESS_KEY) && record.value() != null) {
      progress = readProgress(record);
    }
  }

  /**
   * The delegations destroys recorded and did not settle, as the ledger holds them when asked, due
   * once recorded at least {@code CLOUDOREG_DELEGATION_END_GRACE} ago: a younger one may belong to
   * a destroy still at work on it.
   */
  LeftDelegations leftDelegations() {
    return new LeftDelegations() {
      @Override
      public List<DelegationToEnd> due() {
        return leftDelegations.values().stream()
            .filter(Reconciliations.this::outlivedTheGrace)
            .map(Recorded::delegation)
            .toList();
      }

      @Override
      public boolean stillDue(DelegationToEnd left) {
        Recorded now = leftDelegations.get(left.key());
        return now != null && now.delegation().equals(left) && outlivedTheGrace(now);
      }
    };
  }

  private boolean outlivedTheGrace(Recorded left) {
    return !left.at().isAfter(clock.instant().minus(delegationEndGrace));
  }

  /** A delegation to end, and when Kafka took its record. */
  private record Recorded(DelegationToEnd delegation, Instant at) {}

  /**
   * A delegation to end that cannot be read, or names no subscription id in Azure's form, is not
   * ended, with a warning, never guessed at.
   */
  private static Optional<DelegationToEnd> readDelegation(ConsumerRecord<String, String> record) {
    try {
      DelegationToEnd read = DelegationToEnd.fromRecord(record.key(), record.value());
      if (!SubscriptionId.parse(read.subscription()).value().equals(read.subscription())) {
        throw new IllegalArgumentException("not in Azure's form: " + read.subscription());
      }
      return Optional.of(read);
    } catch (JsonException | ClassCastException | IllegalArgumentException | Rejection unreadable) {
      LOG.log(
          Level.WARNING,
          "The trust ledger''s delegation to end at offset {0,number,#} cannot be read ({1}):"
              + " not ended",
          new Object[] {record.offset(), unreadable.getMessage()});
      return Optional.empty();
    }
  }

  /**
   * The progress a record holds; one that cannot be read counts as none (the next run then comes an
   * interval after readiness, and starts from the first org), never as the end of the watch.
   */
  private static Progress readProgress(ConsumerRecord<String, String> record) {
    try {
      return Progress.fromJson(record.value());
    } catch (JsonException | DateTimeParseException unreadable) {
      LOG.log(
          Level.WARNING,
          "The trust ledger''s progress at offset {0,number,#} cannot be read ({1}): taken as none",
          new Object[] {record.offset(), unreadable.getMessage()});
      return Progress.NONE;
    }
  }

  /**
   * A run interrupted: at once (but a run that could not read Sources' list waits a pause first);
   * otherwise an interval after the last complete run, or, when none ever completed, an interval
   * after readiness (a deployment rolled out more often than that before its first run completes
   * postpones it: the alert on a reconciliation that never completed says so).
   */
  private boolean due() {
    if (readyAt == null || clock.instant().isBefore(notBefore)) {
      return false;
    }
    if (progress.inRun()) {
      return true;
    }
    Instant next =
        progress
            .lastCompleted()
            .map(last -> last.plus(interval))
            .orElseGet(() -> readyAt.plus(interval));
    return !clock.instant().isBefore(next);
  }

  /**
   * True while this replica holds the ledger as it did when asked: false from the next hand-over
   * on, even once the ledger is assigned here again.
   */
  BooleanSupplier ownershipNow() {
    long now = generation.get();
    return () -> owner.get() && generation.get() == now;
  }

  void runOnce(BooleanSupplier stillOurs) {
    try {
      boolean complete =
          reconciler.run(
              progress,
              Set.copyOf(orgs.keySet()),
              leftDelegations(),
              stillOurs,
              saved -> {
                // a run handed over writes nothing: the new owner's progress is the one that holds
                if (stillOurs.getAsBoolean()) {
                  progress = saved;
                  ledger.progress(saved.toJson());
                }
              });
      metrics.reconcileRun(complete);
      if (!complete && stillOurs.getAsBoolean()) {
        // what stopped it may last: try again after a pause, not at once
        notBefore = clock.instant().plus(interval.compareTo(RETRY) < 0 ? interval : RETRY);
      }
    } catch (RuntimeException bug) {
      LOG.log(Level.SEVERE, "Reconciliation failed", bug);
      metrics.reconcileRun(false);
    } finally {
      runInFlight.set(false);
    }
  }

  @PreDestroy
  void stop() {
    owner.set(false);
    stopped.countDown();
    Consumer<String, String> current = consumer;
    if (current != null) {
      current.wakeup();
    }
  }

  /** Kafka tells which replica holds the ledger's partition: that one reconciles. */
  private final class Ownership implements ConsumerRebalanceListener {
    private final Consumer<String, String> ledgerReader;

    Ownership(Consumer<String, String> ledgerReader) {
      this.ledgerReader = ledgerReader;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        owner.set(false);
        generation.incrementAndGet();
        LOG.info("Reconciliation handed over: another replica holds the trust ledger");
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      orgs.clear();
      leftDelegations.clear();
      progress = Progress.NONE;
      caughtUp = false;
      ledgerReader.seekToBeginning(partitions);
      generation.incrementAndGet();
      owner.set(true);
      LOG.info("This replica reconciles: it holds the trust ledger");
    }
  }
}
