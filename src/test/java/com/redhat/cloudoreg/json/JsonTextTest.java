package com.redhat.cloudoreg.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/** Parsson's limits, which it enforces without a JsonException, read as refused JSON. */
class JsonTextTest {
  /** An object whose field holds arrays nested {@code depth} deep. */
  static String nested(int depth) {
    return "{\"source_id\":\"55\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
  }

  /** An object whose field is a number of {@code digits} digits. */
  static String longNumber(int digits) {
    return "{\"source_id\":\"55\",\"n\":1" + "0".repeat(digits - 1) + "}";
  }

  @Test
  void nestingPastTheReadersLimitIsRefusedJson() {
    assertThat(JsonText.value(nested(100))).isInstanceOf(jakarta.json.JsonObject.class);
    assertThatThrownBy(() -> JsonText.value(nested(1000)))
        .isInstanceOf(JsonText.PastLimits.class)
        .hasMessageNotContaining("[");
    assertThat(JsonText.object(nested(1000))).isEmpty();
  }

  @Test
  void aNumberPastTheReadersLimitIsRefusedJson() {
    assertThat(JsonText.value(longNumber(1000))).isInstanceOf(jakarta.json.JsonObject.class);
    assertThatThrownBy(() -> JsonText.value(longNumber(1101)))
        .isInstanceOf(JsonText.PastLimits.class)
        .hasMessageNotContaining("0000");
    assertThat(JsonText.object(longNumber(1101))).isEmpty();
  }

  @Test
  void whatIsNoJsonStaysAJsonExceptionOfItsOwn() {
    assertThatThrownBy(() -> JsonText.value("{\"a\":"))
        .isInstanceOf(JsonException.class)
        .isNotInstanceOf(JsonText.PastLimits.class);
    assertThat(JsonText.object("{\"a\":")).isEmpty();
  }

  @Test
  void objectIsOnlyAnObject() {
    assertThat(JsonText.object("[1]")).isEmpty();
    assertThat(JsonText.object("\"text\"")).isEmpty();
    assertThat(JsonText.object("{\"a\":1}"))
        .hasValueSatisfying(o -> assertThat(o).containsKey("a"));
    assertThat(JsonText.value("null")).isEqualTo(JsonValue.NULL);
  }
}
