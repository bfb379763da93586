package com.redhat.cloudoreg.status;

import com.redhat.cloudoreg.outcome.Availability;
import com.redhat.cloudoreg.outcome.Outcome;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** The body Sources' status listener reads: always an application, its id a decimal string. */
@JsonbPropertyOrder({"resourceType", "resourceId", "status", "error"})
public record StatusMessage(
    @JsonbProperty("resource_type") String resourceType,
    @JsonbProperty("resource_id") String resourceId,
    String status,
    String error) {

  private static final Jsonb JSON = JsonbBuilder.create();

  public static StatusMessage of(long applicationId, Availability availability, Outcome outcome) {
    return new StatusMessage(
        "Application", Long.toString(applicationId), availability.wireValue(), outcome.error());
  }

  public String toJson() {
    return JSON.toJson(this);
  }
}
