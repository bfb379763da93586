package com.redhat.cloudoreg.identity;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
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
    Optional<JsonObject> identity =
        nonBlank(headers.get(IDENTITY_HEADER)).flatMap(TenantResolver::decode);
    Optional<String> orgId =
        nonBlank(headers.get(ORG_ID_HEADER)).or(() -> identity.flatMap(id -> field(id, "org_id")));
    Optional<String> account =
        nonBlank(headers.get(ACCOUNT_NUMBER_HEADER))
            .or(() -> identity.flatMap(id -> field(id, "account_number")));
    return orgId.map(org -> new Tenant(org, account));
  }

  /** The {@code identity} object of an identity header; empty when it is not base64 JSON. */
  private static Optional<JsonObject> decode(String header) {
    try (JsonReader reader =
        Json.createReader(
            new StringReader(
                new String(
                    Base64.getDecoder().decode(header.trim()),
                    java.nio.charset.StandardCharsets.UTF_8)))) {
      JsonValue root = reader.readValue();
      if (root instanceof JsonObject object && object.get("identity") instanceof JsonObject id) {
        return Optional.of(id);
      }
      return Optional.empty();
    } catch (IllegalArgumentException | JsonException notAnIdentity) {
      return Optional.empty();
    }
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
