package com.redhat.cloudoreg.identity;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * On whose behalf cloudoreg calls a peer, and under which request id: the event's {@code
 * x-rh-insights-request-id} when Sources sent a well-formed one (at most 64 of {@code
 * [A-Za-z0-9._-]}), else a new one, so one flow can be followed through Sources', RHSM's and our
 * logs. {@code redrive}: the calls are an item's attempt after one that failed (ours to finish),
 * which the peers' breakers do not count ({@code policy/Breakers}).
 */
public record Caller(Tenant tenant, String requestId, boolean redrive) {
  public Caller(Tenant tenant, String requestId) {
    this(tenant, requestId, false);
  }

  public static final String REQUEST_ID_HEADER = "x-rh-insights-request-id";

  /** What we pass on to peers and logs: short, and nothing that could forge a log field. */
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static Caller of(Tenant tenant, Map<String, String> headers) {
    String requestId =
        Optional.ofNullable(headers.get(REQUEST_ID_HEADER))
            .map(String::trim)
            .filter(id -> REQUEST_ID.matcher(id).matches())
            .orElseGet(() -> UUID.randomUUID().toString());
    return new Caller(tenant, requestId);
  }

  /** The same caller, trying an item again. */
  public Caller asRedrive() {
    return new Caller(tenant, requestId, true);
  }

  public String orgId() {
    return tenant.orgId();
  }

  /** The account number for a header, or null so that the header is left out. */
  public String accountNumberOrNull() {
    return tenant.accountNumber().orElse(null);
  }
}
