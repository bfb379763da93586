package com.redhat.cloudoreg.ledger;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.Optional;

/**
 * An Azure subscription whose Lighthouse delegation to us is to end: the trust ledger's record of
 * it, from before RHSM's trust of the source is removed until the end is settled. Once RHSM holds
 * nothing for the source, this record is all that still names the subscription. Either a destroy
 * began to end it ({@link TrustLedger#DELEGATION_PREFIX}), or an update removed its trust and kept
 * it for the customer to correct the id ({@code keptForApplication}, under {@link
 * TrustLedger#KEPT_DELEGATION_PREFIX}, a key a replica that does not know it leaves alone): that
 * one ends once Sources no longer has the application, which its destroy, finding RHSM holding
 * nothing of the subscription, cannot tell.
 *
 * @param subscription the subscription id, canonical (as RHSM held it, parsed)
 * @param orgId the org whose source it was
 * @param sourceId that source
 * @param keptForApplication the application whose update or take-back kept it, to end once that is
 *     gone
 */
public record DelegationToEnd(
    String subscription, String orgId, String sourceId, Optional<Long> keptForApplication) {
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(null);
  private static final String APPLICATION = "application_id";

  /** A destroy's: to end now. */
  public DelegationToEnd(String subscription, String orgId, String sourceId) {
    this(subscription, orgId, sourceId, Optional.empty());
  }

  /** Its key in the ledger. */
  public String key() {
    return (keptForApplication.isPresent()
            ? TrustLedger.KEPT_DELEGATION_PREFIX
            : TrustLedger.DELEGATION_PREFIX)
        + subscription;
  }

  String toJson() {
    var json =
        JSON.createObjectBuilder()
            .add("subscription_id", subscription)
            .add("org_id", orgId)
            .add("source_id", sourceId);
    keptForApplication.ifPresent(application -> json.add(APPLICATION, application.toString()));
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
      Optional<Long> kept =
          key.startsWith(TrustLedger.KEPT_DELEGATION_PREFIX)
              ? Optional.of(Long.parseLong(string(json, APPLICATION)))
              : Optional.empty();
      DelegationToEnd read =
          new DelegationToEnd(
              string(json, "subscription_id"),
              string(json, "org_id"),
              string(json, "source_id"),
              kept);
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
