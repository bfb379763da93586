package com.redhat.cloudoreg.events;

import jakarta.json.JsonObject;

/**
 * The body of {@code ApplicationAuthentication.create}: which application got which authentication.
 * Timestamps and {@code tenant} (an account number, not the org) are not needed.
 */
public record ApplicationAuthenticationCreate(long applicationId, long authenticationId) {
  public static ApplicationAuthenticationCreate parse(String body) {
    JsonObject event = EventBodies.object(body);
    return new ApplicationAuthenticationCreate(
        EventBodies.id(event, "application_id"), EventBodies.id(event, "authentication_id"));
  }
}
