package com.redhat.cloudoreg.events;

import jakarta.json.JsonObject;

/**
 * The body of {@code Authentication.update} and {@code .destroy}: which authentication changed or
 * went, of which type, and the resource it belongs to (for Cloud Meter, the application). Its
 * {@code id} is a string.
 */
public record AuthenticationEvent(
    long authenticationId, String authtype, String resourceType, long resourceId) {
  public static AuthenticationEvent parse(String body) {
    JsonObject event = EventBodies.object(body);
    return new AuthenticationEvent(
        EventBodies.id(event, "id"),
        EventBodies.text(event, "authtype").orElse(""),
        EventBodies.text(event, "resource_type").orElse(""),
        EventBodies.id(event, "resource_id"));
  }
}
