package com.redhat.cloudoreg.events;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.regex.Pattern;

/**
 * The body of {@code ApplicationAuthentication.create}: which application got which authentication.
 * Ids are numbers in events and strings in REST; both are accepted, compared by value. Timestamps
 * and {@code tenant} (an account number, not the org) are not needed.
 */
public record ApplicationAuthenticationCreate(long applicationId, long authenticationId) {
  public static final String TYPE = "ApplicationAuthentication.create";

  private static final Pattern DECIMAL_ID = Pattern.compile("[1-9]\\d{0,17}");

  public static ApplicationAuthenticationCreate parse(String body) {
    if (body == null || body.isBlank()) {
      throw new MalformedEvent("empty body");
    }
    JsonValue root;
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      root = reader.readValue();
    } catch (JsonException notJson) {
      throw new MalformedEvent("body is not JSON");
    }
    if (!(root instanceof JsonObject event)) {
      throw new MalformedEvent("body is not a JSON object");
    }
    return new ApplicationAuthenticationCreate(
        id(event, "application_id"), id(event, "authentication_id"));
  }

  private static long id(JsonObject event, String field) {
    JsonValue value = event.get(field);
    String text;
    if (value instanceof JsonNumber number && number.isIntegral()) {
      text = number.bigIntegerValue().toString();
    } else if (value instanceof JsonString string) {
      text = string.getString();
    } else {
      throw new MalformedEvent(field + " is missing or not an id");
    }
    if (!DECIMAL_ID.matcher(text).matches()) {
      throw new MalformedEvent(field + " is not a positive decimal id");
    }
    return Long.parseLong(text);
  }
}
