package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures cloudoreg on the real stack (Kafka broker, WireMock stand-ins answering after a latency
 * {@code d}, the packaged service on Liberty) and prints a report: produce-to-status latency,
 * backlog drain with tenants in parallel against one-at-a-time, start to ready, and memory after
 * two runs of 10,000 events. A program with a report, not a test: its figures bound nothing.
 *
 * <p>Run: {@code mvn -Pbenchmark package}. Results are also written to {@code
 * target/benchmark/report.md}.
 */
public final class Benchmark {
  private static final Duration WAIT = Duration.ofMinutes(10);
  private static final String JVM_ARGS = "-Xmx256m -XX:NativeMemoryTracking=summary";

  /** Offered load of the latency runs: below capacity, so latency is not queueing. */
  private static final int LATENCY_RATE = 25;

  private final Stack stack;
  private final StringBuilder report = new StringBuilder();
  private long nextId = BenchmarkPeers.FIRST_ID;

  private Benchmark(Stack stack) {
    this.stack = stack;
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "benchmark")).toAbsolutePath();
    Stack.Settings settings =
        new Stack.Settings(
            work,
            Path.of(System.getProperty("cloudoreg.contracts.dir")),
            Optional.of(Path.of(System.getProperty("cloudoreg.wlp.dir"))),
            System.getProperty("cloudoreg.server.name"),
            Files.readString(Path.of(System.getProperty("cloudoreg.test.classpath"))).trim(),
            Stack.Layout.free(),
            Map.of("JVM_ARGS", JVM_ARGS, "LOG_FORMAT", "simple"));
    try (Stack stack = Stack.start(settings)) {
      Benchmark benchmark = new Benchmark(stack);
      benchmark.run();
      Files.writeString(work.resolve("report.md"), benchmark.report);
      System.out.println();
      System.out.println(benchmark.report);
    }
    System.exit(0);
  }

  private void run() throws Exception {
    line("# cloudoreg benchmark");
    line("");
    line("- date: " + Instant.now());
    line(
        "- machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + (((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize()
                >> 20)
            + " MiB, Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")");
    line("- service JVM: `" + JVM_ARGS + "`, CLOUDOREG_MAX_IN_FLIGHT=64 unless said otherwise");
    line("- stand-ins: WireMock, every Sources, STS and RHSM call answered after `d` ms");
    line("");
    line("| measure | result |");
    line("|---|---|");
    BenchmarkPeers.serveAnyCloudMeterSource(stack);
    line(
        "| server start → /health/ready UP (first start) | "
            + stack.serverStartup.toMillis()
            + " ms |");

    try (StatusCollector statuses =
            new StatusCollector(stack.kafka.bootstrapServers(), Stack.STATUS_TOPIC);
        Events events = new Events(stack.kafka.bootstrapServers())) {
      Instant firstSent = Instant.now();
      List<Long> first = produce(events, 1, 1, 0);
      await(statuses, first);
      line(
          "| server ready → first status (one create, cold) | "
              + (statuses.publishedAt(first.get(0)) - firstSent.toEpochMilli())
              + " ms |");
      await(statuses, produce(events, 300, 30, 0)); // warm-up

      for (int d : new int[] {0, 20}) {
        BenchmarkPeers.latency(stack, d);
        List<Long> ids = produce(events, 500, 50, LATENCY_RATE);
        await(statuses, ids);
        List<Long> latencies = latencies(statuses, ids, events);
        line(
            String.format(
                "| latency produce → status, 500 creates over 50 orgs at %d/s, d = %d ms | p50 %d ms, p95 %d ms, p99 %d ms |",
                LATENCY_RATE,
                d,
                percentile(latencies, 50),
                percentile(latencies, 95),
                percentile(latencies, 99)));
      }

      BenchmarkPeers.latency(stack, 0);
      for (int round = 1; round <= 2; round++) {
        List<Long> ids = produce(events, 10_000, 200, 0);
        await(statuses, ids);
        line(
            String.format(
                "| memory after %s 10,000 creates (d = 0) | RSS %d MiB, heap used %d MiB |",
                round == 1 ? "a first" : "a second",
                rssMiB(stack.server()),
                heapMiB(stack.server())));
      }
      line(
          "| native memory (NMT) of the service after them, committed MiB | "
              + nativeMemory(stack.server())
              + " |");
    }
    stack.server().stop();

    BenchmarkPeers.latency(stack, 20);
    double parallel = drain("bench.backlog.parallel", 2000, 200, 64, true);
    double sequential = drain("bench.backlog.sequential", 300, 30, 1, false);
    line(
        String.format(
            "| ratio parallel / sequential drain (d = 20 ms) | %.1f× |", parallel / sequential));
    line("");
    line(
        "Latency is the time from the event's Kafka timestamp to its status's. Drain rate counts from");
    line(
        "the service's readiness to the last status; per-org order of statuses was checked against");
    line("the produced order.");
  }

  /**
   * Starts a fresh instance on a backlog already waiting in its own topic; events/s to drain it.
   */
  private double drain(String topic, int creates, int orgs, int maxInFlight, boolean profile)
      throws Exception {
    Path recording = Path.of("target", "benchmark", topic + ".jfr").toAbsolutePath();
    stack.kafka.createTopics(List.of(topic), 3);
    Map<String, List<Long>> produced;
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      produced = produceByOrg(events, creates, orgs);
    }
    List<Long> ids = produced.values().stream().flatMap(List::stream).toList();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("SOURCES_EVENT_TOPIC", topic);
    settings.put("KAFKA_GROUP_ID", "bench-" + topic);
    settings.put("CLOUDOREG_MAX_IN_FLIGHT", Integer.toString(maxInFlight));
    if (profile) {
      Files.deleteIfExists(recording);
      settings.put(
          "JVM_ARGS",
          JVM_ARGS
              + " -XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + recording);
    }
    LibertyServer server = stack.anotherServer(settings);
    double rate;
    try (StatusCollector statuses =
        new StatusCollector(stack.kafka.bootstrapServers(), Stack.STATUS_TOPIC)) {
      Duration startup = server.start();
      long ready = System.currentTimeMillis();
      long[] cpuAtReady = cpu(server);
      await(statuses, ids);
      long[] cpuAtEnd = cpu(server);
      long last = ids.stream().mapToLong(statuses::publishedAt).max().orElseThrow();
      rate = creates * 1000.0 / Math.max(1, last - ready);
      int outOfOrder = 0;
      for (var org : produced.entrySet()) {
        List<Long> published =
            statuses.orderOf(org.getKey()).stream().filter(org.getValue()::contains).toList();
        if (!published.equals(org.getValue())) {
          outOfOrder++;
        }
      }
      line(
          String.format(
              "| backlog drain, %d creates over %d orgs, d = 20 ms, CLOUDOREG_MAX_IN_FLIGHT=%d | %.0f events/s (ready after %d ms; orgs out of order: %d) |",
              creates, orgs, maxInFlight, rate, startup.toMillis(), outOfOrder));
      line(
          String.format(
              "| CPU per event in that drain: service / broker / stand-ins and harness | %.1f / %.1f / %.1f ms |",
              (cpuAtEnd[0] - cpuAtReady[0]) / (double) creates,
              (cpuAtEnd[1] - cpuAtReady[1]) / (double) creates,
              (cpuAtEnd[2] - cpuAtReady[2]) / (double) creates));
    } finally {
      server.stop();
    }
    if (profile) {
      line(
          "| where the service's CPU went in that drain (JFR samples) | "
              + CpuProfile.summary(recording)
              + " |");
    }
    return rate;
  }

  /** CPU milliseconds used so far by the service, the broker, and this JVM (stand-ins, harness). */
  private long[] cpu(LibertyServer server) {
    return new long[] {
      ProcessCpu.millis(server.jvm().pid()),
      ProcessCpu.millis(stack.kafka.jvm().pid()),
      ProcessCpu.millis(ProcessHandle.current().pid())
    };
  }

  private List<Long> produce(Events events, int creates, int orgs, int perSecond)
      throws InterruptedException {
    List<Long> ids = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < creates; i++) {
      ids.add(send(events, "bench-org-" + (i % orgs)));
      if (perSecond > 0) {
        long due = started + TimeUnit.SECONDS.toNanos(i + 1) / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the producer, not the code under test
        }
      }
    }
    return ids;
  }

  private Map<String, List<Long>> produceByOrg(Events events, int creates, int orgs) {
    Map<String, List<Long>> byOrg = new LinkedHashMap<>();
    for (int i = 0; i < creates; i++) {
      String org = "bench-org-" + (i % orgs);
      byOrg.computeIfAbsent(org, o -> new ArrayList<>()).add(send(events, org));
    }
    return byOrg;
  }

  private long send(Events events, String org) {
    long id = nextId++;
    Map<String, String> headers =
        Events.createHeaders(org, "1234567", Identities.user(org, "1234567"));
    events.sendAsync(org, headers, Events.createBody(id, id, id), id);
    return id;
  }

  private void await(StatusCollector statuses, List<Long> ids) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int polls = 0; statuses.count(ids) < ids.size(); polls++) {
      if (polls % 100 == 0) {
        BenchmarkPeers.forgetRequests(stack); // the stand-ins' journal would weigh on the machine
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + statuses.count(ids) + " of " + ids.size() + " statuses within " + WAIT);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static List<Long> latencies(StatusCollector statuses, List<Long> ids, Events events) {
    return ids.stream().map(id -> statuses.publishedAt(id) - events.sentAt(id)).sorted().toList();
  }

  private static long percentile(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static long rssMiB(LibertyServer server) {
    try {
      Matcher rss =
          Pattern.compile("VmRSS:\\s+(\\d+) kB")
              .matcher(
                  Files.readString(Path.of("/proc", Long.toString(server.jvm().pid()), "status")));
      return rss.find() ? Long.parseLong(rss.group(1)) / 1024 : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JVM's own account of its memory, by category (Native Memory Tracking). */
  private static String nativeMemory(LibertyServer server)
      throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.jvm().pid()),
                "VM.native_memory",
                "summary",
                "scale=MB")
            .redirectErrorStream(true)
            .start();
    String summary =
        new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    jcmd.waitFor(30, TimeUnit.SECONDS);
    Matcher category =
        Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)")
            .matcher(summary);
    Matcher total = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB").matcher(summary);
    StringBuilder parts =
        new StringBuilder(total.find() ? "total " + total.group(1) + " MiB:" : "");
    while (category.find()) {
      if (Integer.parseInt(category.group(2)) >= 5) {
        parts
            .append(' ')
            .append(category.group(1).trim())
            .append(' ')
            .append(category.group(2))
            .append(',');
      }
    }
    return parts.length() == 0 ? "unavailable" : parts.substring(0, parts.length() - 1);
  }

  private static long heapMiB(LibertyServer server) throws IOException, InterruptedException {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri("/metrics?scope=base")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher heap = Pattern.compile("memory_usedHeap_bytes\\{[^}]*\\} ([0-9.E+]+)").matcher(metrics);
    return heap.find() ? (long) Double.parseDouble(heap.group(1)) >> 20 : -1;
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }
}
