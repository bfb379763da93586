package com.redhat.cloudoreg.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class InternalAccessTest {
  private static final int PRIVATE = 10000;
  private final InternalAccess access = new InternalAccess(PRIVATE, " old-key , new-key ,");

  @Test
  void internalPathsAreNotFoundOffThePrivatePort() {
    assertThat(status("/internal/v1/availability_status", 8000, null)).isEqualTo(404);
    assertThat(status("internal/api/cloudigrade/v1/availability_status", 9000, null))
        .isEqualTo(404);
    assertThat(status("//internal/v1/operator/config", 8000, "new-key")).isEqualTo(404);
    assertThat(status("/internal", 8000, null)).isEqualTo(404);
  }

  @Test
  void availabilityCheckNeedsNoKeyOnThePrivatePort() {
    assertThat(status("/internal/v1/availability_status", PRIVATE, null)).isZero();
    assertThat(status("/internal/api/cloudigrade/v1/availability_status", PRIVATE, null)).isZero();
  }

  @Test
  void operatorToolsWantOneOfTheKeys() {
    for (String path :
        new String[] {"/internal/v1/operator/config", "/internal/v1/dead-letters/replay"}) {
      assertThat(status(path, PRIVATE, null)).isEqualTo(401);
      assertThat(status(path, PRIVATE, "")).isEqualTo(401);
      assertThat(status(path, PRIVATE, "new-key ")).isEqualTo(401);
      assertThat(status(path, PRIVATE, "old-key")).isZero();
      assertThat(status(path, PRIVATE, "new-key")).isZero();
    }
  }

  @Test
  void withoutKeysNothingIsAccepted() {
    InternalAccess unconfigured = new InternalAccess(PRIVATE, "");
    assertThat(unconfigured.refusal("internal/v1/operator/config", PRIVATE, "anything"))
        .contains(Response.Status.UNAUTHORIZED);
    assertThat(new PreSharedKeys(null).accepts("anything")).isFalse();
  }

  @Test
  void otherPathsPassOnEveryPort() {
    assertThat(status("/internalx", 8000, null)).isZero();
    assertThat(status("/", 9000, null)).isZero();
  }

  /** The refusal's status, 0 when the request passes. */
  private int status(String path, int port, String key) {
    return access
        .refusal(InternalAccess.path(path), port, key)
        .map(Response.Status::getStatusCode)
        .orElse(0);
  }
}
