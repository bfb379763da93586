package com.redhat.cloudoreg.rhsm;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A cloud provider account at RHSM. {@code verified} lets the account's RHEL instances
 * auto-register to the org; {@code sourceId} ties the account to the Sources source.
 */
@JsonbPropertyOrder({"id", "nickname", "verified", "sourceId"})
public record ProviderAccount(String id, String nickname, Boolean verified, String sourceId) {
  static ProviderAccount verified(String accountId, String sourceId) {
    return new ProviderAccount(accountId, "", true, sourceId);
  }

  /** Added by the org in Cloud Access by hand, not through a source. */
  boolean addedByHand() {
    return sourceId == null || sourceId.isBlank();
  }
}
