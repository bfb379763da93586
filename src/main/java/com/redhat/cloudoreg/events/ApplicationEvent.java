package com.redhat.cloudoreg.events;

import jakarta.json.JsonObject;

/** The body of {@code Application.destroy}, {@code .pause} and {@code .unpause}. */
public record ApplicationEvent(long applicationId, long sourceId, long applicationTypeId) {
  public static ApplicationEvent parse(String body) {
    JsonObject event = EventBodies.object(body);
    return new ApplicationEvent(
        EventBodies.id(event, "id"),
        EventBodies.id(event, "source_id"),
        EventBodies.id(event, "application_type_id"));
  }
}
