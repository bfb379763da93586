package com.redhat.cloudoreg.events;

import jakarta.json.JsonObject;

/**
 * The body of {@code ApplicationAuthentication.create} and {@code .destroy}: which application got,
 * or lost, which authentication. Timestamps and {@code tenant} (an account number, not the org) are
 * not needed.
 */
public record ApplicationAuthenticationEvent(long applicationId, long authenticationId) {
  public static ApplicationAuthenticationEvent parse(String body) {
    JsonObject event = EventBodies.object(body);
    return new ApplicationAuthenticationEvent(
        EventBodies.id(event, "application_id"), EventBodies.id(event, "authentication_id"));
  }
}
