package com.redhat.cloudoreg.json;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * Text from outside (an event's body or identity, a request's body, a peer's answer) read as JSON,
 * where whatever the reader refuses is a {@link JsonException}. JSON-P's provider (Parsson,
 * Liberty's and the tests' alike) refuses input past its limits without one: nesting past 1,000
 * levels is a plain {@code RuntimeException}, a number of over 1,100 characters an {@code
 * UnsupportedOperationException}. A few kilobytes of brackets would otherwise be a 500 on our doors
 * and an "internal error" (a bug of ours, alerted on) for an event, instead of the malformed input
 * they are.
 */
public final class JsonText {
  /** One reader factory: {@code Json.createReader} looks the JSON-P provider up on each call. */
  private static final JsonReaderFactory READERS = Json.createReaderFactory(null);

  private JsonText() {}

  /** The text's JSON value; {@link JsonException} when it is none the reader takes. */
  public static JsonValue value(String text) {
    try (JsonReader reader = READERS.createReader(new StringReader(text))) {
      return reader.readValue();
    } catch (JsonException notJson) {
      throw notJson;
    } catch (RuntimeException pastLimits) {
      // only the provider's reading runs here: what it throws is the input refused, not a bug;
      // its class only, as its message may quote the input
      throw new PastLimits(pastLimits.getClass().getName());
    }
  }

  /** The text's JSON object; empty when it is no JSON the reader takes, or no object. */
  public static Optional<JsonObject> object(String text) {
    try {
      return value(text) instanceof JsonObject object ? Optional.of(object) : Optional.empty();
    } catch (JsonException notJson) {
      return Optional.empty();
    }
  }

  /** JSON the reader refuses for its size rather than its syntax: too deep, a number too long. */
  public static final class PastLimits extends JsonException {
    private static final long serialVersionUID = 1L;

    PastLimits(String refusal) {
      super("JSON past the reader's limits (nested too deep or a number too long): " + refusal);
    }
  }
}
