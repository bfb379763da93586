package com.redhat.cloudoreg.ledger;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;

/**
 * An Azure subscription whose Lighthouse delegation to us is to end: the trust ledger's record of
 * it, from before RHSM's trust of the source is removed until the end is settled. Once RHSM holds
 * nothing for the source, this record is all that still names the subscription. Either a destroy
 * began to end it, or a replacement removed its trust and kept it ({@code whenSourceGone}: the
 * customer may correct the id without deploying the offer again; it ends once the source is gone,
 * which the destroy, finding RHSM holding nothing of it, cannot tell).
 *
 * @param subscription the subscription id, canonical (as RHSM held it, parsed)
 * @param orgId the org whose source it was
 * @param sourceId that source
 * @param whenSourceGone to end only once Sources no longer has the source
 */
public record DelegationToEnd(
    String subscription, String orgId, String sourceId, boolean whenSourceGone) {
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(null);
  private static final String WHEN = "when";
  private static final String SOURCE_GONE = "source_gone";

  /** A destroy's: to end now. */
  public DelegationToEnd(String subscription, String orgId, String sourceId) {
    this(subscription, orgId, sourceId, false);
  }

  /** Its key in the ledger. */
  public String key() {
    return TrustLedger.DELEGATION_PREFIX + subscription;
  }

  String toJson() {
    var json =
        JSON.createObjectBuilder()
            .add("subscription_id", subscription)
            .add("org_id", orgId)
            .add("source_id", sourceId);
    if (whenSourceGone) {
      json.add(WHEN, SOURCE_GONE);
    }
    return json.build().toString();
  }

  /**
   * The record under {@code key}; a {@link jakarta.json.JsonException} (or a {@link
   * ClassCastException} for JSON of another shape) when it cannot be read, and an {@link
   * IllegalArgumentException} when it names another subscription than its key or lacks a field.
   */
  public static DelegationToEnd fromRecord(String key, String value) {
    try (var reader = Json.createReader(new StringReader(value))) {
      JsonObject json = reader.readObject();
      boolean whenSourceGone = json.containsKey(WHEN);
      if (whenSourceGone && !SOURCE_GONE.equals(string(json, WHEN))) {
        throw new IllegalArgumentException("to end when " + json.get(WHEN));
      }
      DelegationToEnd read =
          new DelegationToEnd(
              string(json, "subscription_id"),
              string(json, "org_id"),
              string(json, "source_id"),
              whenSourceGone);
      if (!read.key().equals(key)) {
        throw new IllegalArgumentException("keyed " + key + " but names " + read.subscription());
      }
      return read;
    }
  }

  private static String string(JsonObject json, String name) {
    if (json.get(name) instanceof JsonString text && !text.getString().isBlank()) {
      return text.getString();
    }
    throw new IllegalArgumentException("no " + name);
  }
}
