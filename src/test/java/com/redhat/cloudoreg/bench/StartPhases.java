package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.LibertyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Liberty start went, from the timestamps of the messages in {@code messages.log}: each
 * milestone as seconds after the server was launched, and what Liberty says it measured itself.
 */
final class StartPhases {
  private static final Pattern LINE =
      Pattern.compile(
          "^\\[[^,]+, (\\d{1,2}:\\d{2}:\\d{2}:\\d{3}) [^\\]]*\\] .*?([A-Z]{4,5}\\d{4}[IAWE]):(.*)$");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm:ss:SSS");

  /** Message id → what the milestone is. */
  private static final Map<String, String> MILESTONES = new LinkedHashMap<>();

  static {
    MILESTONES.put("CWWKE0002I", "kernel started");
    MILESTONES.put("CWWKF0007I", "feature update started");
    MILESTONES.put("CWWKS4104A", "LTPA keys created (first start of a server directory only)");
    MILESTONES.put("CWWKZ0018I", "application starting");
    MILESTONES.put("CWWKZ0001I", "application started");
    MILESTONES.put("CWWKF0011I", "server ready");
    MILESTONES.put("CLOUDOREG", "warm-up finished");
  }

  private StartPhases() {}

  static String of(LibertyServer server) {
    Path log = server.logs().resolve("messages.log");
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalTime launched = null;
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : lines) {
      String code;
      LocalTime at;
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        code = m.group(2);
        at = LocalTime.parse(m.group(1), TIME);
      } else if (line.contains("cloudoreg warm-up finished") && line.startsWith("[")) {
        code = "CLOUDOREG";
        at = LocalTime.parse(line.substring(line.indexOf(", ") + 2, line.indexOf(" UTC")), TIME);
      } else {
        continue;
      }
      if ("CWWKE0001I".equals(code) && launched == null) {
        launched = at;
      }
      if (launched != null && MILESTONES.containsKey(code) && !seen.containsKey(code)) {
        double seconds = java.time.Duration.between(launched, at).toMillis() / 1000.0;
        String detail = "CLOUDOREG".equals(code) ? warmUpDetail(line) : "";
        seen.put(code, String.format("%s %.1f s%s", MILESTONES.get(code), seconds, detail));
      }
    }
    return seen.isEmpty()
        ? "no milestones in " + log
        : "after launch: " + String.join(", ", seen.values());
  }

  private static String warmUpDetail(String line) {
    Matcher took = Pattern.compile("warm-up finished in (\\d+) ms").matcher(line);
    return took.find() ? " (itself " + took.group(1) + " ms)" : "";
  }
}
