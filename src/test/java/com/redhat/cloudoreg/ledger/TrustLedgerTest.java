package com.redhat.cloudoreg.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.redhat.cloudoreg.logging.CapturedLog;
import com.redhat.cloudoreg.outcome.TransientFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The record of a delegation to end, which a destroy waits for before RHSM is asked: written and
 * read back alike, waited for within a bound, never thrown at the flow but for an interrupt.
 */
class TrustLedgerTest {
  private static final DelegationToEnd LEFT =
      new DelegationToEnd("6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e", "7654321", "55");

  private final Channel channel = new Channel();
  private final TrustLedger ledger =
      new TrustLedger(channel, "trust", "live", Duration.ofMillis(50));
  private CapturedLog log;

  @BeforeEach
  void captureTheLedgersLog() {
    log = CapturedLog.of(TrustLedger.class.getName());
  }

  @AfterEach
  void releaseTheLog() {
    log.release();
    Thread.interrupted();
  }

  @Test
  void aDelegationToEndIsKeyedBySubscriptionAndReadBackAsWritten() {
    assertThat(ledger.recordDelegationToEnd(LEFT)).as("Kafka holds it").isTrue();

    ProducerRecord<String, String> record = channel.sent.get(0);
    assertThat(record.topic()).isEqualTo("trust");
    assertThat(record.key()).isEqualTo("delegation:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e");
    assertThat(DelegationToEnd.fromRecord(record.key(), record.value())).isEqualTo(LEFT);
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void inShadowModeNothingIsRecorded() {
    new TrustLedger(channel, "trust", "shadow", Duration.ofMillis(50)).recordDelegationToEnd(LEFT);

    assertThat(channel.sent).isEmpty();
  }

  /** A channel that cannot take a record now refuses it as Kafka would: logged, never thrown. */
  @Test
  void aRecordTheChannelRefusesIsLoggedAndTheCallerGoesOn() {
    channel.refusing = true;

    assertThat(ledger.recordDelegationToEnd(LEFT))
        .as("said, for the caller to end it itself")
        .isFalse();

    assertThat(log.lines())
        .singleElement()
        .asString()
        .contains(LEFT.subscription(), "not recorded in the trust ledger", "SRMSG00034");
  }

  /**
   * A trusted decision notes its org and settles its subscription's record: a channel that cannot
   * take them is logged, never thrown into the flow (which would dead-letter the decided event).
   */
  @Test
  void theOrgsAndSettlementsTheChannelRefusesAreLoggedAndTheCallerGoesOn() {
    channel.refusing = true;

    ledger.holds("7654321");
    ledger.delegationSettled(LEFT.subscription());

    assertThat(log.lines())
        .as("the org's record, and the settlement's tombstones of both kinds of delegation record")
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("not written", "SRMSG00034"));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aKafkaThatNeverConfirmsIsWaitedForOnlyWithinTheBound() {
    channel.silent = true;

    assertThat(ledger.recordDelegationToEnd(LEFT)).isFalse();

    assertThat(log.lines())
        .singleElement()
        .asString()
        .contains(LEFT.subscription(), "not recorded in the trust ledger", "TimeoutException");
  }

  @Test
  void anInterruptedWaitIsATransientFailureAndKeepsTheInterrupt() {
    channel.silent = true;
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> ledger.recordDelegationToEnd(LEFT))
        .isInstanceOf(TransientFailure.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  /** The emitter of the ledger's channel, keeping what it was given. */
  private static final class Channel extends RecordEmitter {
    final List<ProducerRecord<String, String>> sent = new CopyOnWriteArrayList<>();
    volatile boolean refusing;
    volatile boolean silent;

    @Override
    public CompletionStage<Void> send(ProducerRecord<String, String> record) {
      if (refusing) {
        throw new IllegalStateException("SRMSG00034: Insufficient downstream requests");
      }
      sent.add(record);
      return silent ? new CompletableFuture<>() : CompletableFuture.completedStage(null);
    }
  }
}
