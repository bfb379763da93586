package com.redhat.cloudoreg.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerTest {
  private static final Tenant TENANT = new Tenant("7654321", Optional.empty());

  @Test
  void wellFormedRequestIdIsKept() {
    String id = "a2f8ec37-6d74_4af8.9e92";
    assertThat(requestId(id)).isEqualTo(id);
    assertThat(requestId(" " + id + " ")).isEqualTo(id);
    assertThat(requestId("x".repeat(64))).isEqualTo("x".repeat(64));
  }

  @Test
  void anythingElseGetsANewId() {
    for (String bad :
        new String[] {"", "x".repeat(65), "a b", "id\nforged=1", "id\"", "ünï", "a/b", "a;b"}) {
      assertThat(requestId(bad)).as(bad).isNotEqualTo(bad).matches("[0-9a-f-]{36}");
    }
    assertThat(Caller.of(TENANT, Map.of()).requestId()).matches("[0-9a-f-]{36}");
  }

  private static String requestId(String header) {
    return Caller.of(TENANT, Map.of(Caller.REQUEST_ID_HEADER, header)).requestId();
  }
}
