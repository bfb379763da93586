package com.redhat.cloudoreg.identity;

import java.util.Optional;

/** The customer an event belongs to: the org id, and the legacy account number when known. */
public record Tenant(String orgId, Optional<String> accountNumber) {
  public Tenant {
    if (orgId == null || orgId.isBlank()) {
      throw new IllegalArgumentException("a tenant needs an org id");
    }
    accountNumber = accountNumber.filter(account -> !account.isBlank());
  }
}
