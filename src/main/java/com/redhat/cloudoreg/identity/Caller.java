package com.redhat.cloudoreg.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * On whose behalf cloudoreg calls a peer, and under which request id: the event's {@code
 * x-rh-insights-request-id} when Sources sent one, else a new one, so one flow can be followed
 * through Sources', RHSM's and our logs.
 */
public record Caller(Tenant tenant, String requestId) {
  public static final String REQUEST_ID_HEADER = "x-rh-insights-request-id";

  public static Caller of(Tenant tenant, Map<String, String> headers) {
    String requestId =
        Optional.ofNullable(headers.get(REQUEST_ID_HEADER))
            .map(String::trim)
            .filter(id -> !id.isEmpty() && id.length() <= 128)
            .orElseGet(() -> UUID.randomUUID().toString());
    return new Caller(tenant, requestId);
  }

  public String orgId() {
    return tenant.orgId();
  }

  /** The account number for a header, or null so that the header is left out. */
  public String accountNumberOrNull() {
    return tenant.accountNumber().orElse(null);
  }
}
