package com.redhat.cloudoreg.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's CPU went, from a Java Flight Recorder recording: each execution sample is put
 * on the component whose code was running, the first frame from the top that is not the JDK's (a
 * JDK frame is on behalf of whoever called it).
 */
final class CpuProfile {
  private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

  static {
    COMPONENTS.put("com.redhat.cloudoreg", "cloudoreg");
    COMPONENTS.put("org.apache.kafka", "Kafka client");
    COMPONENTS.put("software.amazon.awssdk", "AWS SDK (STS)");
    COMPONENTS.put("org.jboss.resteasy", "REST client (RESTEasy)");
    COMPONENTS.put("org.apache.http", "REST client (Apache HttpClient)");
    COMPONENTS.put("org.eclipse.yasson", "JSON-B/JSON-P");
    COMPONENTS.put("org.eclipse.parsson", "JSON-B/JSON-P");
    COMPONENTS.put("io.smallrye.reactive", "Reactive Messaging");
    COMPONENTS.put("com.ibm.ws.microprofile.reactive", "Reactive Messaging");
    COMPONENTS.put("io.smallrye.mutiny", "Reactive Messaging");
    COMPONENTS.put("com.ibm.ws.microprofile.faulttolerance", "Fault Tolerance");
    COMPONENTS.put("io.openliberty.microprofile.faulttolerance", "Fault Tolerance");
    COMPONENTS.put("io.smallrye.metrics", "Metrics");
    COMPONENTS.put("io.openliberty.microprofile.metrics", "Metrics");
    COMPONENTS.put("com.ibm.ws.logging", "logging");
    COMPONENTS.put("org.jboss.weld", "CDI (Weld)");
  }

  private CpuProfile() {}

  /**
   * Component → share of the samples taken between two instants (epoch milliseconds), largest
   * first, as "component 31%, …". A recording starts with the JVM: without the window, Liberty's
   * start would fill most of it.
   */
  static String summary(Path recording, long fromMillis, long toMillis) throws IOException {
    Map<String, Long> samples = new LinkedHashMap<>();
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!"jdk.ExecutionSample".equals(event.getEventType().getName())
          || event.getStackTrace() == null) {
        continue;
      }
      long at = event.getStartTime().toEpochMilli();
      if (at < fromMillis || at > toMillis) {
        continue;
      }
      total++;
      samples.merge(component(event), 1L, Long::sum);
    }
    long all = Math.max(1, total);
    return samples.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(9)
            .map(e -> String.format("%s %d%%", e.getKey(), Math.round(100.0 * e.getValue() / all)))
            .collect(Collectors.joining(", "))
        + " ("
        + all
        + " samples)";
  }

  private static String component(RecordedEvent sample) {
    for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("java.")
          || type.startsWith("jdk.")
          || type.startsWith("sun.")
          || type.startsWith("javax.")
          || type.startsWith("com.sun.")) {
        continue;
      }
      return COMPONENTS.entrySet().stream()
          .filter(c -> type.startsWith(c.getKey()))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse("Liberty and others");
    }
    return "JDK only (network, crypto, GC-free JDK work)";
  }
}
