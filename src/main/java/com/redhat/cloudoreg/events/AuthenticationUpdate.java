package com.redhat.cloudoreg.events;

import jakarta.json.JsonObject;

/**
 * The body of {@code Authentication.update}: which authentication changed, of which type, and the
 * resource it belongs to (for Cloud Meter, the application). Its {@code id} is a string.
 */
public record AuthenticationUpdate(
    long authenticationId, String authtype, String resourceType, long resourceId) {
  public static AuthenticationUpdate parse(String body) {
    JsonObject event = EventBodies.object(body);
    return new AuthenticationUpdate(
        EventBodies.id(event, "id"),
        EventBodies.text(event, "authtype").orElse(""),
        EventBodies.text(event, "resource_type").orElse(""),
        EventBodies.id(event, "resource_id"));
  }
}
