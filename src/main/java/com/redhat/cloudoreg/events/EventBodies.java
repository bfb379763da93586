package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.json.JsonText;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads Sources event (and request) bodies strictly: a JSON object, ids as positive decimals
 * whether JSON numbers (events) or strings (REST style), compared by value. Anything else is a
 * {@link MalformedEvent} with a reason an operator can act on.
 */
public final class EventBodies {
  private static final Pattern DECIMAL_ID = Pattern.compile("[1-9]\\d{0,17}");

  private EventBodies() {}

  public static JsonObject object(String body) {
    if (body == null || body.isBlank()) {
      throw new MalformedEvent("empty body");
    }
    JsonValue root;
    try {
      root = JsonText.value(body);
    } catch (JsonText.PastLimits tooDeepOrTooLong) {
      throw new MalformedEvent("body is JSON nested too deep or with a number too long");
    } catch (JsonException notJson) {
      throw new MalformedEvent("body is not JSON");
    }
    if (!(root instanceof JsonObject event)) {
      throw new MalformedEvent("body is not a JSON object");
    }
    return event;
  }

  public static long id(JsonObject event, String field) {
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

  static Optional<String> text(JsonObject event, String field) {
    return event.get(field) instanceof JsonString value
        ? Optional.of(value.getString())
        : Optional.empty();
  }
}
