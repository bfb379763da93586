package com.redhat.cloudoreg.identity;

import com.redhat.cloudoreg.json.JsonText;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the tenant of a Sources event from its headers: {@code x-rh-sources-org-id}, else the
 * {@code identity.org_id} of {@code x-rh-identity}. Sources' retry job sends headers with empty
 * values, so an empty value counts as absent.
 */
public final class TenantResolver {
  public static final String ORG_ID_HEADER = "x-rh-sources-org-id";
  public static final String ACCOUNT_NUMBER_HEADER = "x-rh-sources-account-number";
  public static final String IDENTITY_HEADER = "x-rh-identity";

  private TenantResolver() {}

  public static Optional<Tenant> resolve(Map<String, String> headers) {
    Optional<String> orgHeader = nonBlank(headers.get(ORG_ID_HEADER));
    Optional<String> accountHeader = nonBlank(headers.get(ACCOUNT_NUMBER_HEADER));
    if (orgHeader.isPresent() && accountHeader.isPresent()) {
      // Sources' own headers say it all: the identity is not decoded
      return Optional.of(new Tenant(orgHeader.get(), accountHeader));
    }
    Optional<JsonObject> identity =
        nonBlank(headers.get(IDENTITY_HEADER)).flatMap(TenantResolver::decode);
    Optional<String> orgId = orgHeader.or(() -> identity.flatMap(id -> field(id, "org_id")));
    Optional<String> account =
        accountHeader.or(() -> identity.flatMap(id -> field(id, "account_number")));
    return orgId.map(org -> new Tenant(org, account));
  }

  /**
   * The {@code identity.org_id} of a well-formed {@code x-rh-identity} (base64 JSON); empty when
   * the header is absent, not base64 JSON, or names no org.
   */
  public static Optional<String> identityOrgId(Map<String, String> headers) {
    return nonBlank(headers.get(IDENTITY_HEADER))
        .flatMap(TenantResolver::decode)
        .flatMap(id -> field(id, "org_id"));
  }

  /** The {@code identity} object of an identity header; empty when it is not base64 JSON. */
  private static Optional<JsonObject> decode(String header) {
    String json;
    try {
      json = new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    return JsonText.object(json)
        .flatMap(
            root ->
                root.get("identity") instanceof JsonObject identity
                    ? Optional.of(identity)
                    : Optional.empty());
  }

  private static Optional<String> field(JsonObject identity, String name) {
    return identity.get(name) instanceof JsonString value
        ? nonBlank(value.getString())
        : Optional.empty();
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }
}
