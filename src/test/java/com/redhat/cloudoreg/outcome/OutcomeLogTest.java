package com.redhat.cloudoreg.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.websphere.logging.hpel.LogRecordContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the test stand-in of Liberty's LogRecordContext (src/test/java/com/ibm/...). */
class OutcomeLogTest {
  private final Logger logger = Logger.getLogger("com.redhat.cloudoreg.outcome");
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> fieldsWhileLogging = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord logRecord) {
          messages.add(logRecord.getMessage());
          Map<String, String> fields = new HashMap<>();
          LogRecordContext.getExtensions(fields);
          fieldsWhileLogging.add(fields);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void capture() {
    logger.addHandler(handler);
  }

  @AfterEach
  void release() {
    logger.removeHandler(handler);
  }

  @Test
  void theFieldsAreTheLineWhileItIsWrittenAndGoneAfterIt() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("outcome", "TRUSTED");
    fields.put("org_id", "org-1");
    fields.put("source_id", null);

    OutcomeLog.write(Level.INFO, fields);

    assertThat(messages).containsExactly("outcome=TRUSTED org_id=org-1");
    assertThat(fieldsWhileLogging).containsExactly(Map.of("outcome", "TRUSTED", "org_id", "org-1"));
    Map<String, String> after = new HashMap<>();
    LogRecordContext.getExtensions(after);
    assertThat(after).isEmpty();
  }
}
