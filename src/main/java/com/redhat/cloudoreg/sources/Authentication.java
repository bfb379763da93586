package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.outcome.Grant;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An authentication as Sources exposes it; {@code password} only from the internal API, and only
 * when asked for (older sources keep the ARN there).
 */
public record Authentication(
    String id,
    String authtype,
    String username,
    String password,
    Extra extra,
    @JsonbProperty("resource_type") String resourceType,
    @JsonbProperty("resource_id") String resourceId) {

  public static final String CLOUD_METER_ARN = "cloud-meter-arn";
  public static final String LIGHTHOUSE_SUBSCRIPTION_ID = "lighthouse_subscription_id";
  public static final String APPLICATION_RESOURCE = "Application";

  /** An application's Cloud Meter grant before any other authentication it may have. */
  public static final Comparator<Authentication> CLOUD_METER_FIRST =
      Comparator.comparing((Authentication a) -> !a.isCloudMeterGrant());

  /** Whether this is a Cloud Meter grant: an AWS role or an Azure subscription. */
  public boolean isCloudMeterGrant() {
    return CLOUD_METER_ARN.equals(authtype) || LIGHTHOUSE_SUBSCRIPTION_ID.equals(authtype);
  }

  /** Free-form settings; for AWS the external id that the customer's trust policy requires. */
  public record Extra(@JsonbProperty("external_id") String externalId) {}

  /** The role ARN: in {@code username}, or in {@code password} for sources of older flows. */
  public Optional<String> arn() {
    return Stream.of(username, password).filter(v -> v != null && !v.isBlank()).findFirst();
  }

  /** Whether the secret field must be read: the grant is not in {@code username}. */
  public boolean grantOnlyInPassword() {
    return username == null || username.isBlank();
  }

  /** The ExternalId for AssumeRole, when the customer has one. */
  public Optional<String> externalId() {
    return Optional.ofNullable(extra).map(Extra::externalId).filter(id -> !id.isBlank());
  }

  /** What it grants, as a decision is made on it (for the fences' "is it still the grant?"). */
  public Grant grant() {
    return new Grant(id, authtype, arn(), externalId());
  }

  /** Never prints {@code password}: records would, and a log line must never hold it. */
  @Override
  public String toString() {
    return "Authentication[id=%s, authtype=%s, resourceType=%s, resourceId=%s]"
        .formatted(id, authtype, resourceType, resourceId);
  }
}
