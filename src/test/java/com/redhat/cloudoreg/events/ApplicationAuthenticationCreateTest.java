package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApplicationAuthenticationCreateTest {
  @Test
  void readsNumericIdsOfTheSample() {
    var created =
        ApplicationAuthenticationCreate.parse(
            "{\"id\":42,\"created_at\":\"2024-05-01 12:34:56 UTC\",\"application_id\":101,"
                + "\"authentication_id\":202,\"tenant\":\"\"}");

    assertThat(created).isEqualTo(new ApplicationAuthenticationCreate(101, 202));
  }

  @Test
  void acceptsIdsAsStrings() {
    assertThat(
            ApplicationAuthenticationCreate.parse(
                "{\"application_id\":\"101\",\"authentication_id\":\"202\"}"))
        .isEqualTo(new ApplicationAuthenticationCreate(101, 202));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{not json",
        "[1,2]",
        "\"a string\"",
        "{}",
        "{\"application_id\":101}",
        "{\"application_id\":-1,\"authentication_id\":202}",
        "{\"application_id\":0,\"authentication_id\":202}",
        "{\"application_id\":1.5,\"authentication_id\":202}",
        "{\"application_id\":\"10a\",\"authentication_id\":202}",
        "{\"application_id\":123456789012345678901234,\"authentication_id\":202}",
        "{\"application_id\":null,\"authentication_id\":202}",
        "{\"application_id\":true,\"authentication_id\":202}"
      })
  void malformedBodiesAreRefusedWithAReason(String body) {
    assertThatThrownBy(() -> ApplicationAuthenticationCreate.parse(body))
        .isInstanceOf(MalformedEvent.class)
        .hasMessageMatching(".+");
  }
}
