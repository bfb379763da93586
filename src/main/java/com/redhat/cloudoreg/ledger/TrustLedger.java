package com.redhat.cloudoreg.ledger;

import com.redhat.cloudoreg.kafka.Channels;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Which orgs hold trust through us, kept in Kafka, not in a store of our own: a compacted topic
 * ({@code CLOUDOREG_TRUST_TOPIC}) with one record per org, written whenever trust is established or
 * confirmed, and a tombstone once the reconciliation finds the org holds none through a source.
 * RHSM can only be asked org by org, and an org whose last source is gone is in no list of Sources
 * any more: this is how the reconciliation still finds it. The same topic carries the
 * reconciliation's progress under {@link #PROGRESS_KEY}, and the Azure delegations a destroy began
 * to end and did not settle under {@link #DELEGATION_PREFIX}. Best effort: a record Kafka refuses
 * is logged, and the org is written again with its next trust (a delegation's record is waited for:
 * {@link #recordDelegationToEnd}). Shadow mode writes nothing.
 */
@ApplicationScoped
public class TrustLedger {
  /** Every org's record is keyed so; nothing else is. */
  public static final String ORG_PREFIX = "org:";

  /** The reconciliation's progress. */
  public static final String PROGRESS_KEY = "reconcile:progress";

  /** Every delegation whose end a destroy began and did not settle is keyed so, by subscription. */
  public static final String DELEGATION_PREFIX = "delegation:";

  /**
   * Every delegation an update or a fenced writer's take-back kept, to end once its application is
   * gone, by subscription.
   */
  public static final String KEPT_DELEGATION_PREFIX = "kept-delegation:";

  private static final Logger LOG = Logger.getLogger(TrustLedger.class.getName());

  /**
   * One builder factory: {@code Json.createObjectBuilder} looks the JSON-P provider up on each
   * call, a service-loader search through the server's class loaders (5 % of the service's CPU in a
   * profile of 2 × 5,000 creates at d = 0).
   */
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(null);

  private final Emitter<ProducerRecord<String, String>> emitter;
  private final String topic;
  private final Mode mode;
  private final Duration recordWait;

  @Inject
  public TrustLedger(
      @Channel(Channels.TRUST_LEDGER_OUT) Emitter<ProducerRecord<String, String>> emitter,
      @ConfigProperty(name = "CLOUDOREG_TRUST_TOPIC") String topic,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this(emitter, topic, mode, Duration.ofMillis(Policy.DELEGATION_RECORD_WAIT_MS));
  }

  /** Waiting {@code recordWait} for Kafka: so that a Kafka that never answers is seen in ms. */
  TrustLedger(
      Emitter<ProducerRecord<String, String>> emitter,
      String topic,
      String mode,
      Duration recordWait) {
    this.emitter = emitter;
    this.topic = topic;
    this.mode = Mode.of(mode);
    this.recordWait = recordWait;
  }

  protected TrustLedger() {
    this.emitter = null;
    this.topic = null;
    this.mode = Mode.SHADOW;
    this.recordWait = Duration.ZERO;
  }

  /** The org holds trust through one of its sources. */
  public void holds(String orgId) {
    write(ORG_PREFIX + orgId, JSON.createObjectBuilder().add("org_id", orgId).build().toString());
  }

  /** The org holds no trust through a source any more. */
  public void forget(String orgId) {
    write(ORG_PREFIX + orgId, null);
  }

  /**
   * A destroy is about to remove the trust of a source that held this Azure subscription: once RHSM
   * holds nothing for the source, this record is what still names the subscription whose delegation
   * to us must end, to whichever replica retries that end (the reconciliation's owner) if this one
   * stops before it is settled, or Azure does not answer. Returns once Kafka holds the record, or
   * after {@link Policy#DELEGATION_RECORD_WAIT_MS} at most: a record Kafka refused or did not
   * confirm in time is logged, and the removal goes on unrecorded (a delegation's end never holds
   * back RHSM's removal). At once in shadow mode, which ends nothing.
   *
   * @return whether Kafka holds the record (in shadow mode, which ends nothing: true), for a caller
   *     that would otherwise leave the delegation to it alone
   * @throws TransientFailure when the wait is interrupted (the server stops): the removal is then
   *     tried again, recorded first, rather than made unrecorded
   */
  public boolean recordDelegationToEnd(DelegationToEnd pending) {
    if (mode.isShadow()) {
      return true;
    }
    try {
      send(pending).toCompletableFuture().get(recordWait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException unrecorded) {
      Throwable why =
          unrecorded instanceof ExecutionException failed ? failed.getCause() : unrecorded;
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0} (source {1}, org {2}) to end is not recorded in the"
              + " trust ledger ({3}): should this replica stop before ending it, it stays",
          new Object[] {
            pending.subscription(), pending.sourceId(), pending.orgId(), why.toString()
          });
      return false;
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      throw new TransientFailure("interrupted while recording a delegation to end", stopping);
    }
  }

  private CompletionStage<Void> send(DelegationToEnd pending) {
    return Channels.send(emitter, new ProducerRecord<>(topic, pending.key(), pending.toJson()));
  }

  /**
   * That delegation is not to be ended (again): its end settled (ended, nothing to end, refused),
   * or a source trusts the subscription again.
   */
  public void delegationSettled(String subscription) {
    write(DELEGATION_PREFIX + subscription, null);
    write(KEPT_DELEGATION_PREFIX + subscription, null);
  }

  /** The reconciliation's progress, as {@code reconcile/Progress} writes it. */
  public void progress(String json) {
    write(PROGRESS_KEY, json);
  }

  private void write(String key, String value) {
    if (mode.isShadow()) {
      return;
    }
    Channels.send(emitter, new ProducerRecord<>(topic, key, value))
        .exceptionally(
            refused -> {
              LOG.log(
                  Level.WARNING,
                  "Trust ledger record {0} not written: {1}",
                  new Object[] {key, refused.toString()});
              return null;
            });
  }
}
