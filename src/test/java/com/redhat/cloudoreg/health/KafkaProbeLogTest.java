package com.redhat.cloudoreg.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.health.KafkaProbe.View;
import com.redhat.cloudoreg.logging.CapturedLog;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka going away and coming back is one log line each, not one per probe. */
class KafkaProbeLogTest {
  private CapturedLog log;

  @BeforeEach
  void listen() {
    log = CapturedLog.of(KafkaProbe.class.getName());
  }

  @AfterEach
  void stop() {
    log.release();
  }

  @Test
  void anOutageIsOneWarningAndItsEndOneInfo() {
    View up = view(true);
    View down = view(false);

    KafkaProbe.logChange(up, down);
    KafkaProbe.logChange(down, down);
    KafkaProbe.logChange(down, down);
    KafkaProbe.logChange(down, up);
    KafkaProbe.logChange(up, up);

    assertThat(log.records())
        .extracting(LogRecord::getLevel)
        .containsExactly(Level.WARNING, Level.INFO);
    assertThat(log.records().get(0).getParameters()).containsExactly("TimeoutException");
  }

  @Test
  void aStartWithoutKafkaWarnsOnceAndAStartWithItSaysNothing() {
    KafkaProbe.logChange(null, view(false));
    KafkaProbe.logChange(view(false), view(false));
    KafkaProbe.logChange(null, view(true));

    assertThat(log.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING);
  }

  private static View view(boolean reachable) {
    return new View(Instant.EPOCH, reachable, reachable, reachable ? 3 : 0, -1, "TimeoutException");
  }
}
