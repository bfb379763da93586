package com.redhat.cloudoreg.ledger;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;

/**
 * An Azure subscription whose Lighthouse delegation to us a destroy began to end: the trust
 * ledger's record of it, from before RHSM's trust of the source is removed until the end is
 * settled. Once RHSM holds nothing for the source, this record is all that still names the
 * subscription.
 *
 * @param subscription the subscription id, canonical (as RHSM held it, parsed)
 * @param orgId the org whose source was destroyed
 * @param sourceId that source
 */
public record DelegationToEnd(String subscription, String orgId, String sourceId) {
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(null);

  /** Its key in the ledger. */
  public String key() {
    return TrustLedger.DELEGATION_PREFIX + subscription;
  }

  String toJson() {
    return JSON.createObjectBuilder()
        .add("subscription_id", subscription)
        .add("org_id", orgId)
        .add("source_id", sourceId)
        .build()
        .toString();
  }

  /**
   * The record under {@code key}; a {@link jakarta.json.JsonException} (or a {@link
   * ClassCastException} for JSON of another shape) when it cannot be read, and an {@link
   * IllegalArgumentException} when it names another subscription than its key or lacks a field.
   */
  public static DelegationToEnd fromRecord(String key, String value) {
    try (var reader = Json.createReader(new StringReader(value))) {
      JsonObject json = reader.readObject();
      DelegationToEnd read =
          new DelegationToEnd(
              string(json, "subscription_id"), string(json, "org_id"), string(json, "source_id"));
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
