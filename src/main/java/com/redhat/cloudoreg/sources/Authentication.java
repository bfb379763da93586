package com.redhat.cloudoreg.sources;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.Optional;
import java.util.stream.Stream;

/** An authentication as the internal API exposes it, with its secret {@code password} field. */
public record Authentication(
    String id,
    String authtype,
    String username,
    String password,
    Extra extra,
    @JsonbProperty("resource_type") String resourceType,
    @JsonbProperty("resource_id") String resourceId) {

  public static final String CLOUD_METER_ARN = "cloud-meter-arn";
  public static final String APPLICATION_RESOURCE = "Application";

  /** Free-form settings; for AWS the external id that the customer's trust policy requires. */
  public record Extra(@JsonbProperty("external_id") String externalId) {}

  /** The role ARN: in {@code username}, or in {@code password} for sources of older flows. */
  public Optional<String> arn() {
    return Stream.of(username, password).filter(v -> v != null && !v.isBlank()).findFirst();
  }

  /** The ExternalId for AssumeRole, when the customer has one. */
  public Optional<String> externalId() {
    return Optional.ofNullable(extra).map(Extra::externalId).filter(id -> !id.isBlank());
  }
}
