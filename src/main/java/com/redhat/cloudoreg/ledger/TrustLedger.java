package com.redhat.cloudoreg.ledger;

import com.redhat.cloudoreg.kafka.Channels;
import com.redhat.cloudoreg.mode.Mode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
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
 * reconciliation's progress under {@link #PROGRESS_KEY}. Best effort: a record Kafka refuses is
 * logged, and the org is written again with its next trust. Shadow mode writes nothing.
 */
@ApplicationScoped
public class TrustLedger {
  /** Every org's record is keyed so; nothing else is. */
  public static final String ORG_PREFIX = "org:";

  /** The reconciliation's progress. */
  public static final String PROGRESS_KEY = "reconcile:progress";

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

  @Inject
  public TrustLedger(
      @Channel(Channels.TRUST_LEDGER_OUT) Emitter<ProducerRecord<String, String>> emitter,
      @ConfigProperty(name = "CLOUDOREG_TRUST_TOPIC") String topic,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this.emitter = emitter;
    this.topic = topic;
    this.mode = Mode.of(mode);
  }

  protected TrustLedger() {
    this.emitter = null;
    this.topic = null;
    this.mode = Mode.SHADOW;
  }

  /** The org holds trust through one of its sources. */
  public void holds(String orgId) {
    write(ORG_PREFIX + orgId, JSON.createObjectBuilder().add("org_id", orgId).build().toString());
  }

  /** The org holds no trust through a source any more. */
  public void forget(String orgId) {
    write(ORG_PREFIX + orgId, null);
  }

  /** The reconciliation's progress, as {@code reconcile/Progress} writes it. */
  public void progress(String json) {
    write(PROGRESS_KEY, json);
  }

  private void write(String key, String value) {
    if (mode.isShadow()) {
      return;
    }
    emitter
        .send(new ProducerRecord<>(topic, key, value))
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
