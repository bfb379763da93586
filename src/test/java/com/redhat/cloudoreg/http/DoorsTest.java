package com.redhat.cloudoreg.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The doors' decisions in process; the real stack's paths are InternalDoorsIT's. */
class DoorsTest {
  private static final int PRIVATE = 10000;
  private final Doors doors = new Doors(PRIVATE, " old-key , new-key ,");
  private final InternalPaths paths = new InternalPaths(doors);

  @Test
  void privatePortResourcesAreNotFoundElsewhere() {
    assertThat(status(doors.privatePort(8000))).isEqualTo(404);
    assertThat(status(doors.privatePort(9000))).isEqualTo(404);
    assertThat(status(doors.privatePort(PRIVATE))).isZero();
  }

  @Test
  void operatorToolsWantTheirPortAndOneOfTheKeys() {
    assertThat(status(doors.operator(8000, "new-key")))
        .as("the key opens nothing elsewhere")
        .isEqualTo(404);
    assertThat(status(doors.operator(PRIVATE, null))).isEqualTo(401);
    assertThat(status(doors.operator(PRIVATE, ""))).isEqualTo(401);
    assertThat(status(doors.operator(PRIVATE, "new-key "))).isEqualTo(401);
    assertThat(status(doors.operator(PRIVATE, "old-key"))).isZero();
    assertThat(status(doors.operator(PRIVATE, "new-key"))).isZero();
  }

  @Test
  void withoutKeysNothingIsAccepted() {
    assertThat(status(new Doors(PRIVATE, "").operator(PRIVATE, "anything"))).isEqualTo(401);
    assertThat(new PreSharedKeys(null).accepts("anything")).isFalse();
  }

  @Test
  void aPathIsReadAsMatchingReadsIt() {
    assertThat(InternalPaths.normalized(segments("", "internal", "", "v1", ".", "operator")))
        .containsExactly("internal", "v1", "operator");
    assertThat(InternalPaths.normalized(segments("x", "..", "internal", "v1")))
        .containsExactly("internal", "v1");
    assertThat(InternalPaths.normalized(segments("internal/v1", "operator")))
        .as("an encoded slash decoded")
        .containsExactly("internal", "v1", "operator");
  }

  @Test
  void internalPathsAreRefusedBeforeMatchingWhereTheDoorsWouldRefuse() {
    assertThat(status(paths.refusal(segments("internal", "v1", "availability_status"), 8000, null)))
        .isEqualTo(404);
    assertThat(status(paths.refusal(segments("", "internal"), 9000, null))).isEqualTo(404);
    assertThat(
            status(
                paths.refusal(segments("internal", "v1", "dead-letters", "replay"), PRIVATE, null)))
        .isEqualTo(401);
    assertThat(
            status(paths.refusal(segments("internal", "v1", "availability_status"), PRIVATE, null)))
        .as("Sources sends no key of ours")
        .isZero();
    assertThat(status(paths.refusal(segments("internalx"), 8000, null))).isZero();
    assertThat(status(paths.refusal(segments(""), 8000, null))).isZero();
  }

  /** The refusal's status, 0 when the request passes. */
  private static int status(Optional<Response> refusal) {
    return refusal.map(Response::getStatus).orElse(0);
  }

  private static List<PathSegment> segments(String... decoded) {
    return Arrays.stream(decoded).<PathSegment>map(Segment::new).toList();
  }

  private record Segment(String getPath) implements PathSegment {
    @Override
    public MultivaluedMap<String, String> getMatrixParameters() {
      return new MultivaluedHashMap<>();
    }
  }
}
