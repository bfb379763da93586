package com.redhat.cloudoreg.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModeTest {
  @Test
  void liveUnlessShadowIsAskedFor() {
    assertThat(Mode.of(null)).isEqualTo(Mode.LIVE);
    assertThat(Mode.of("")).isEqualTo(Mode.LIVE);
    assertThat(Mode.of("live")).isEqualTo(Mode.LIVE);
    assertThat(Mode.of(" Shadow ")).isEqualTo(Mode.SHADOW);
  }

  @Test
  void aTypoIsRefusedRatherThanGoingLive() {
    assertThatThrownBy(() -> Mode.of("shadw")).hasMessageContaining("CLOUDOREG_MODE");
  }
}
