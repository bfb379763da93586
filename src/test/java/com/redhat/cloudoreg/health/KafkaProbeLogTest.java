package com.redhat.cloudoreg.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.health.KafkaProbe.View;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka going away and coming back is one log line each, not one per probe. */
class KafkaProbeLogTest {
  private static final Logger LOG = Logger.getLogger(KafkaProbe.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    LOG.addHandler(capture);
  }

  @AfterEach
  void stop() {
    LOG.removeHandler(capture);
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

    assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
    assertThat(records.get(0).getParameters()).containsExactly("TimeoutException");
  }

  @Test
  void aStartWithoutKafkaWarnsOnceAndAStartWithItSaysNothing() {
    KafkaProbe.logChange(null, view(false));
    KafkaProbe.logChange(view(false), view(false));
    KafkaProbe.logChange(null, view(true));

    assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING);
  }

  private static View view(boolean reachable) {
    return new View(Instant.EPOCH, reachable, reachable, reachable ? 3 : 0, -1, "TimeoutException");
  }
}
