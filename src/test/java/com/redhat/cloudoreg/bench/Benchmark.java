package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Measures cloudoreg on the real stack (Kafka broker, WireMock stand-ins answering after a latency
 * {@code d}, the packaged service on Liberty with the server's own {@code jvm.options}) and writes
 * a report: start to ready and where the start went, the first event after ready, produce-to-status
 * latency, memory after forced GCs across two rounds of events, and a backlog drained with tenants
 * in parallel and one at a time. A program with a report, not a test: its figures bound nothing.
 *
 * <p>Run: {@code mvn -Plocal-stack package -Dstack.main=com.redhat.cloudoreg.bench.Benchmark}. The
 * report goes to {@code docs/benchmark-report.md} (linked from docs/benchmarks.md) and {@code
 * target/benchmark/report.md}. Sizes are system properties (see {@link Params}) so that a quick run
 * on a busy machine checks the harness; the defaults are the full run.
 */
public final class Benchmark {
  private static final Duration WAIT = Duration.ofMinutes(15);

  /** Offered load of the latency runs: below capacity, so latency is not queueing. */
  private static final int LATENCY_RATE = 25;

  private static final int D = 20;

  private final Stack stack;
  private final Params params;
  private final StringBuilder report = new StringBuilder();
  private final Map<String, String> targets = new LinkedHashMap<>();
  private long nextId = BenchmarkPeers.FIRST_ID;

  private Benchmark(Stack stack, Params params) {
    this.stack = stack;
    this.params = params;
  }

  /**
   * What to run. {@code bench.latency.events} (500), {@code bench.memory.events} per round (10000),
   * {@code bench.backlog} for both drains (2000), {@code bench.memory.samples} per round (3),
   * {@code bench.restarts} (5: the restart figure is their median), {@code bench.profile} (true:
   * one more parallel drain under JFR), {@code bench.sequential} (true: the drain one event at a
   * time too, for the ratio; false saves its ~3 minutes in a run comparing JVM settings), {@code
   * bench.nmt} (false: Native Memory Tracking costs memory itself), {@code bench.jvm.args} (empty:
   * the server's jvm.options alone), {@code bench.report} (docs/benchmark-report.md).
   */
  record Params(
      int latencyEvents,
      int memoryEvents,
      int backlog,
      int memorySamples,
      int restarts,
      boolean profile,
      boolean sequential,
      boolean nmt,
      String jvmArgs,
      Map<String, String> serverEnvironment,
      Path reportFile) {
    static Params fromSystemProperties() {
      return new Params(
          Integer.getInteger("bench.latency.events", 500),
          Integer.getInteger("bench.memory.events", 10_000),
          Integer.getInteger("bench.backlog", 2000),
          Math.max(3, Integer.getInteger("bench.memory.samples", 3)),
          Math.max(1, Integer.getInteger("bench.restarts", 5)),
          Boolean.parseBoolean(System.getProperty("bench.profile", "true")),
          Boolean.parseBoolean(System.getProperty("bench.sequential", "true")),
          Boolean.parseBoolean(System.getProperty("bench.nmt", "false")),
          System.getProperty("bench.jvm.args", "").trim(),
          environment(System.getProperty("bench.server.env", "")),
          Path.of(System.getProperty("bench.report", "docs/benchmark-report.md")).toAbsolutePath());
    }

    /** {@code NAME=value,NAME=value}: more environment for the service (e.g. MALLOC_ARENA_MAX). */
    private static Map<String, String> environment(String pairs) {
      Map<String, String> environment = new LinkedHashMap<>();
      for (String pair : pairs.split(",")) {
        if (pair.contains("=")) {
          environment.put(
              pair.substring(0, pair.indexOf('=')).trim(),
              pair.substring(pair.indexOf('=') + 1).trim());
        }
      }
      return environment;
    }

    String jvmArgsWith(String more) {
      String args = (jvmArgs + (nmt ? " -XX:NativeMemoryTracking=summary" : "") + " " + more);
      return args.trim();
    }
  }

  /** One restart to ready: its wall time and the service's CPU in it. */
  private record Restart(long wallMs, long cpuMs) {}

  public static void main(String[] args) throws Exception {
    Params params = Params.fromSystemProperties();
    Path work = Files.createDirectories(Path.of("target", "benchmark")).toAbsolutePath();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("LOG_FORMAT", "simple");
    if (!params.jvmArgsWith("").isEmpty()) {
      environment.put("JVM_ARGS", params.jvmArgsWith(""));
    }
    environment.putAll(params.serverEnvironment());
    String header = header(params);
    Stack.Settings settings =
        new Stack.Settings(
            work,
            Optional.of(Path.of(System.getProperty("cloudoreg.wlp.dir"))),
            System.getProperty("cloudoreg.server.name"),
            Files.readString(Path.of(System.getProperty("cloudoreg.test.classpath"))).trim(),
            Stack.Layout.free(),
            Map.copyOf(environment),
            BenchmarkPeers.EXTENSIONS);
    try (Stack stack = Stack.start(settings)) {
      Benchmark benchmark = new Benchmark(stack, params);
      benchmark.report.append(header);
      System.out.print(header);
      benchmark.run();
      Files.writeString(work.resolve("report.md"), benchmark.report);
      Files.writeString(params.reportFile(), benchmark.report);
      System.out.println();
      System.out.println(benchmark.report);
      System.out.println("report written to " + params.reportFile());
    }
    System.exit(0);
  }

  private static String header(Params params) throws IOException, InterruptedException {
    Path serverConfig = RunFacts.serverConfig();
    String options = RunFacts.settings(serverConfig.resolve("jvm.options"));
    StringBuilder text = new StringBuilder();
    text.append(RunFacts.opening("cloudoreg benchmark report", Benchmark.class, ""));
    text.append("- machine: ")
        .append(RunFacts.machine())
        .append("; load average at start: ")
        .append(RunFacts.loadAverage())
        .append('\n');
    text.append("- service JVM: server `jvm.options`: `").append(options).append('`');
    if (!params.jvmArgsWith("").isEmpty()) {
      text.append("; JVM_ARGS (after them, so they win): `")
          .append(params.jvmArgsWith(""))
          .append('`');
    }
    text.append("; server `server.env`: `")
        .append(RunFacts.settings(serverConfig.resolve("server.env")))
        .append('`');
    if (!params.serverEnvironment().isEmpty()) {
      text.append("; more environment: `").append(params.serverEnvironment()).append('`');
    }
    text.append('\n');
    text.append(
            String.format(
                "- sizes: latency runs %d events, memory rounds 2 × %d events (%d samples each),"
                    + " restarts %d, backlog %d events for the drains; sequential drain: %s;"
                    + " JFR-profiled drain: %s",
                params.latencyEvents(),
                params.memoryEvents(),
                params.memorySamples(),
                params.restarts(),
                params.backlog(),
                params.sequential() ? "yes" : "no",
                params.profile() ? "yes" : "no"))
        .append('\n');
    text.append(
        "- stand-ins: WireMock, every Sources, STS and RHSM call answered after `d` ms;"
            + " CLOUDOREG_MAX_IN_FLIGHT=64 unless said otherwise\n\n");
    return text.toString();
  }

  /** The service JVM's options as it gets them: jvm.options, then JVM_ARGS (which win). */
  private static String serviceJvmOptions(Params params) throws IOException {
    return RunFacts.settings(RunFacts.serverConfig().resolve("jvm.options"))
        + " "
        + params.jvmArgsWith("");
  }

  private void run() throws Exception {
    line("| measure | result |");
    line("|---|---|");
    BenchmarkPeers.serveAnyCloudMeterSource(stack);
    LibertyServer server = stack.server();
    long startCpu = ProcessCpu.millis(server.jvm().pid());
    line(
        String.format(
            "| server start → /health/ready UP (first start, no backlog) | %d ms wall, %d ms CPU"
                + " of the service |",
            stack.serverStartup.toMillis(), startCpu));
    line("| where the start went (Liberty's messages.log) | " + StartPhases.of(server) + " |");
    line("| classes loaded at ready | " + loadedClasses(server) + " |");

    List<Long> rssMedians = new ArrayList<>();
    try (StatusCollector statuses =
            new StatusCollector(stack.kafka.bootstrapServers(), Stack.STATUS_TOPIC);
        Events events = new Events(stack.kafka.bootstrapServers())) {
      BenchmarkPeers.latency(stack, D);
      BenchmarkPeers.forgetRequests(stack);
      events.connect();
      List<Long> first = produce(events, 1, 1, 0);
      await(statuses, first);
      long cold = latencies(statuses, first, events).stream().findFirst().orElse(-1L);
      line(
          String.format(
              "| first event after ready, produce → status, d = %d ms | %d ms (outcome: %s) |",
              D, cold, statuses.available(first).isEmpty() ? statuses.others(first) : "available"));
      line(
          "| where the first event's time went (peer calls as the stand-ins received them, ms"
              + " after produce; each took d) | "
              + BenchmarkPeers.timeline(
                  BenchmarkPeers.journal(stack),
                  events.sentAt(first.get(0)),
                  statuses.publishedAt(first.get(0)))
              + " |");
      List<Long> next = new ArrayList<>();
      List<Long> one = List.of();
      for (int i = 0; i < 4; i++) {
        BenchmarkPeers.forgetRequests(stack);
        one = produce(events, 1, 1, 0);
        await(statuses, one);
        next.addAll(latencies(statuses, one, events));
      }
      line(
          String.format(
              "| the next events after it, one at a time, produce → status, d = %d ms | %s ms |",
              D, next.stream().map(String::valueOf).collect(Collectors.joining(", "))));
      // each round trip waits for the one before it: round trips times d is the floor under any
      // produce → status latency at that d
      List<BenchmarkPeers.Call> lastCalls = BenchmarkPeers.journal(stack);
      BenchmarkPeers.CallCount perCreate = BenchmarkPeers.count(lastCalls, D);
      line(
          "| the last of them (type lookups cached, as for every later create) | "
              + BenchmarkPeers.timeline(
                  lastCalls, events.sentAt(one.get(0)), statuses.publishedAt(one.get(0)))
              + " |");
      targets.put(
          "peer calls per verified AWS create ≤ 5, STS among them 1",
          String.format(
              "%d calls, %d to STS, in %d round trips (calls less than d apart count as one)",
              perCreate.calls(), perCreate.sts(), perCreate.roundTrips()));

      BenchmarkPeers.latency(stack, 0);
      await(statuses, produce(events, Math.min(300, params.latencyEvents()), 30, 0)); // warm-up
      long warmP50 = -1;
      for (int d : new int[] {0, D}) {
        BenchmarkPeers.latency(stack, d);
        List<Long> ids = produce(events, params.latencyEvents(), 50, LATENCY_RATE);
        await(statuses, ids);
        List<Long> latencies = latencies(statuses, ids, events);
        line(
            String.format(
                "| latency produce → status, %d creates over 50 orgs at %d/s, d = %d ms | p50 %d"
                    + " ms, p95 %d ms, p99 %d ms (%d available; other outcomes: %s) |",
                ids.size(),
                LATENCY_RATE,
                d,
                percentile(latencies, 50),
                percentile(latencies, 95),
                percentile(latencies, 99),
                latencies.size(),
                statuses.others(ids)));
        if (d == D) {
          warmP50 = percentile(latencies, 50);
          int floor = perCreate.roundTrips() * D;
          targets.put(
              "p50 produce → status ≤ 100 ms (d = 20 ms)",
              String.format(
                  "%d ms; floor (computed): %d round trips × %d ms = %d ms, the rest (%d ms)"
                      + " Kafka both ways and the service",
                  warmP50, perCreate.roundTrips(), D, floor, warmP50 - floor));
        }
      }
      line(
          String.format(
              "| first event after ready against the warm p50 (d = %d ms) | %d ms / %d ms ="
                  + " %.1f× |",
              D, cold, warmP50, cold / (double) Math.max(1, warmP50)));
      targets.put(
          "first event after ready ≤ 2 × warm p50",
          String.format(
              "%.1f× (%d ms vs %d ms)", cold / (double) Math.max(1, warmP50), cold, warmP50));

      BenchmarkPeers.latency(stack, 0);
      List<MemorySizing.Round> rounds = new ArrayList<>();
      for (int round = 1; round <= 2; round++) {
        List<Long> ids = produce(events, params.memoryEvents(), 200, 0);
        await(statuses, ids);
        ServiceMemory.Sample sample = ServiceMemory.afterGc(server, params.memorySamples());
        rssMedians.add(sample.rssMedian());
        rounds.add(new MemorySizing.Round(sample.rssMax(), sample.heapCommitted()));
        line(
            String.format(
                "| memory after %s %,d creates (d = 0), %d × (jcmd GC.run, then RSS) | RSS min %d"
                    + " / median %d / max %d MiB; after GC: heap used %d MiB of %d committed,"
                    + " metaspace %d MiB; of the RSS, %d MiB mapped from files (jars, CDS"
                    + " archive); %d threads (other outcomes: %s) |",
                round == 1 ? "a first" : "a second",
                params.memoryEvents(),
                params.memorySamples(),
                sample.rssMin(),
                sample.rssMedian(),
                sample.rssMax(),
                sample.heapUsed(),
                sample.heapCommitted(),
                sample.metaspace(),
                sample.fileBackedMiB(),
                sample.threads(),
                statuses.others(ids)));
      }
      line(
          "| the live heap after them, largest classes (jcmd GC.class_histogram) | "
              + ServiceMemory.largestClasses(server, 12)
              + " |");
      targets.put(
          String.format(
              "RSS ≤ 300 MB after 2 × 10,000 events, flat between the two (here 2 × %,d)",
              params.memoryEvents()),
          String.format(
              "%d → %d MiB (median after forced GC; %+d MiB)",
              rssMedians.get(0), rssMedians.get(1), rssMedians.get(1) - rssMedians.get(0)));
      long maxHeap = MemorySizing.maxHeapMiB(serviceJvmOptions(params));
      MemorySizing sizing = MemorySizing.of(rounds, maxHeap);
      line(
          String.format(
              "| the pod's memory from these rounds (docs/benchmarks.md, \"The pod's memory\") |"
                  + " request %s, limit %s: ceiling %d MiB = highest RSS after GC + (-Xmx %d MiB"
                  + " − heap committed after that GC); request = ceiling rounded up to 32 MiB,"
                  + " limit = ceiling × 1.25 rounded up to 64 MiB |",
              sizing.request(), sizing.limit(), sizing.ceilingMiB(), maxHeap));
      targets.put(
          "the ClowdApp's MEMORY_REQUEST / MEMORY_LIMIT",
          sizing.request() + " / " + sizing.limit() + " (set these in _deployment/clowdapp.yaml)");
      if (params.nmt()) {
        line(
            "| native memory (NMT) of the service after them, committed MiB | "
                + nativeMemory(server)
                + " |");
      }
    }
    server.stop();
    platformAlone(rssMedians.get(1));

    // a pod's start: the image's build has run the server once (_deployment/warm-start.sh), so its
    // workarea (the features resolved, the bundles cached) is there; the first start above had to
    // build it.
    // One restart's time varies by a third from run to run here: several, and their median (the
    // upper one for an even count), with that restart's CPU.
    List<Restart> restarts = new ArrayList<>();
    for (int i = 1; i <= params.restarts(); i++) {
      Restart restart =
          new Restart(server.start().toMillis(), ProcessCpu.millis(server.jvm().pid()));
      restarts.add(restart);
      line(
          String.format(
              "| restart %d of %d of the same server (workarea kept, as in the image) →"
                  + " /health/ready UP | %d ms wall, %d ms CPU of the service; %s |",
              i, params.restarts(), restart.wallMs(), restart.cpuMs(), StartPhases.of(server)));
      server.stop();
    }
    restarts.sort(Comparator.comparingLong(Restart::wallMs));
    Restart median = restarts.get(restarts.size() / 2);
    targets.put(
        "ready ≤ 6 s after a restart",
        String.format(
            "restart %d ms (%d ms CPU), the median of %d (%d–%d ms); first start after the build"
                + " %d ms (%d ms CPU)",
            median.wallMs(),
            median.cpuMs(),
            restarts.size(),
            restarts.get(0).wallMs(),
            restarts.get(restarts.size() - 1).wallMs(),
            stack.serverStartup.toMillis(),
            startCpu));

    BenchmarkPeers.latency(stack, D);
    Drain parallel = drain("bench.backlog.parallel", params.backlog(), 64, false);
    if (params.sequential()) {
      Drain sequential = drain("bench.backlog.sequential", params.backlog(), 1, false);
      line(
          String.format(
              "| ratio parallel / sequential drain (d = %d ms, same backlog) | %.1f× |",
              D, parallel.rate() / sequential.rate()));
    }
    targets.put(
        "drain ≥ 180 events/s, per-org order kept",
        String.format(
            "%.0f events/s, orgs out of order: %d", parallel.rate(), parallel.outOfOrder()));
    targets.put(
        "service CPU per verified create, whole drain ≤ 4 ms",
        String.format(
            "%.1f ms (the parallel drain's; the whole machine's: %.1f ms)",
            parallel.serviceCpuPerEvent(), parallel.machineCpuPerEvent()));
    if (params.profile()) {
      drain("bench.backlog.profiled", params.backlog(), 64, true);
    }
    line("");
    line(
        "Latency: from the event's Kafka timestamp to its status's. Drain rate: (N − 1) / (last"
            + " status − first status), over the `available` statuses of the backlog's own events");
    line(
        "(so neither the start nor readiness is in it); per-org order of statuses checked against"
            + " the produced order. Memory: RSS from /proc after `jcmd <pid> GC.run`.");
    line("");
    line("## Against the targets");
    line("");
    line("| target | measured |");
    line("|---|---|");
    targets.forEach((target, measured) -> line("| " + target + " | " + measured + " |"));
    line("");
    line(
        String.format(
            "What bounds the drain, measured: the service used %.1f ms of CPU per event, the"
                + " whole machine (service, broker, stand-ins and harness) %.1f ms; with %d cores"
                + " that caps the drain at %.0f events/s for the machine as it is shared here, %.0f"
                + " events/s for the service alone on them (CPU of other processes on the machine"
                + " not counted: see the load averages).",
            parallel.serviceCpuPerEvent(),
            parallel.machineCpuPerEvent(),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors() * 1000 / parallel.machineCpuPerEvent(),
            Runtime.getRuntime().availableProcessors() * 1000 / parallel.serviceCpuPerEvent()));
    line("");
    line("- load average at the end: " + RunFacts.loadAverage());
  }

  record Drain(double rate, int outOfOrder, double serviceCpuPerEvent, double machineCpuPerEvent) {}

  /**
   * Starts a fresh instance on a backlog already waiting in its own topic; the rate at which its
   * statuses came out.
   */
  private Drain drain(String baseTopic, int creates, int maxInFlight, boolean profile)
      throws Exception {
    String topic = baseTopic + "." + System.currentTimeMillis();
    int orgs = Math.max(1, creates / 10);
    Path recording = Path.of("target", "benchmark", baseTopic + ".jfr").toAbsolutePath();
    stack.kafka.createTopics(List.of(topic), 3);
    awaitLeaders(topic, 3);
    Map<String, List<Long>> produced;
    List<Long> ids;
    try (Events events = new Events(stack.kafka.bootstrapServers(), topic)) {
      produced = produceByOrg(events, creates, orgs);
      ids = produced.values().stream().flatMap(List::stream).toList();
      events.close(); // waits for every acknowledgement
      long lost = ids.stream().filter(id -> !events.acknowledged(id)).count();
      if (lost > 0) {
        throw new IllegalStateException(lost + " events of the backlog were not produced");
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("SOURCES_EVENT_TOPIC", topic);
    settings.put("KAFKA_GROUP_ID", "bench-" + topic);
    settings.put("CLOUDOREG_MAX_IN_FLIGHT", Integer.toString(maxInFlight));
    if (profile) {
      Files.deleteIfExists(recording);
      settings.put(
          "JVM_ARGS",
          params.jvmArgsWith(
              "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording));
    }
    LibertyServer server = stack.anotherServer(settings);
    Drain drain;
    long windowFrom;
    long windowTo;
    try (StatusCollector statuses =
            new StatusCollector(stack.kafka.bootstrapServers(), Stack.STATUS_TOPIC);
        CpuSampler cpu = cpuOf(server)) {
      long started = System.currentTimeMillis();
      Duration startup = server.start();
      await(statuses, ids);
      List<Long> available = statuses.available(ids);
      long first = available.stream().mapToLong(statuses::publishedAt).min().orElse(0);
      long last = available.stream().mapToLong(statuses::publishedAt).max().orElse(0);
      double rate = (available.size() - 1) * 1000.0 / Math.max(1, last - first);
      int outOfOrder = 0;
      for (var org : produced.entrySet()) {
        List<Long> published =
            statuses.orderOf(org.getKey()).stream().filter(org.getValue()::contains).toList();
        if (!published.equals(org.getValue())) {
          outOfOrder++;
        }
      }
      int served = Math.max(1, available.size() - 1);
      long[] used = cpu.usedBetween(first, last);
      double service = used[0] / (double) served;
      double machine = (used[0] + used[1] + used[2]) / (double) served;
      drain = new Drain(rate, outOfOrder, service, machine);
      windowFrom = first;
      windowTo = last;
      line(
          String.format(
              "| backlog drain%s, %d creates over %d orgs, d = %d ms, CLOUDOREG_MAX_IN_FLIGHT=%d |"
                  + " **%.0f events/s** (%d available; other outcomes: %s; orgs out of order: %d;"
                  + " after start: ready %d ms, first status %d ms, last %d ms) |",
              profile ? " **under JFR**" : "",
              creates,
              orgs,
              D,
              maxInFlight,
              rate,
              available.size(),
              statuses.others(ids),
              outOfOrder,
              startup.toMillis(),
              first - started,
              last - started));
      line(
          String.format(
              "| CPU per event in that drain (first → last status): service / broker /"
                  + " stand-ins and harness | %.1f / %.1f / %.1f ms |",
              service, used[1] / (double) served, used[2] / (double) served));
      long[] times = available.stream().mapToLong(statuses::publishedAt).sorted().toArray();
      long middle = times[times.length / 2];
      int firstHalf = Math.max(1, times.length / 2);
      int secondHalf = Math.max(1, times.length - 1 - times.length / 2);
      line(
          String.format(
              "| the service's CPU per event, first half / second half of that drain's statuses"
                  + " (the JVM warms as it drains) | %.1f / %.1f ms |",
              cpu.usedBetween(first, middle)[0] / (double) firstHalf,
              cpu.usedBetween(middle, last)[0] / (double) secondHalf));
    } finally {
      server.stop();
    }
    if (profile) {
      line(
          "| where the service's CPU went in that drain, first → last status (JFR samples) | "
              + CpuProfile.summary(recording, windowFrom, windowTo)
              + " |");
    }
    return drain;
  }

  /** Waits until every partition of a just-created topic has a leader that knows it. */
  private void awaitLeaders(String topic, int partitions) throws InterruptedException {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", stack.kafka.bootstrapServers()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        try {
          var description =
              admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
          var found = description.get(topic).partitions();
          if (found.size() == partitions && found.stream().allMatch(p -> p.leader() != null)) {
            TimeUnit.MILLISECONDS.sleep(500);
            return;
          }
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException notYet) {
          // the topic is still being created
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new IllegalStateException("no leaders for " + topic + " within 30 s");
    }
  }

  /**
   * Samples the CPU of the service (0 until it is launched), the broker, and this JVM (stand-ins,
   * harness) from now on.
   */
  private CpuSampler cpuOf(LibertyServer server) {
    long broker = stack.kafka.jvm().pid();
    long harness = ProcessHandle.current().pid();
    // the service's JVM is looked for among the launcher's children only until it is found
    java.util.concurrent.atomic.AtomicLong service = new java.util.concurrent.atomic.AtomicLong();
    return new CpuSampler(
        List.of(
            () -> {
              if (service.get() == 0 && server.launched()) {
                ProcessHandle jvm = server.jvm();
                if (jvm.info().command().orElse("").endsWith("java")) {
                  service.set(jvm.pid());
                }
              }
              return service.get() == 0 ? 0 : ProcessCpu.millis(service.get());
            },
            () -> ProcessCpu.millis(broker),
            () -> ProcessCpu.millis(harness)));
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
    for (int polls = 0; statuses.answered(ids) < ids.size(); polls++) {
      if (polls % 100 == 99) {
        BenchmarkPeers.forgetRequests(stack); // the stand-ins' journal would weigh on the machine
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + statuses.answered(ids) + " of " + ids.size() + " statuses within " + WAIT);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static List<Long> latencies(StatusCollector statuses, List<Long> ids, Events events) {
    return statuses.available(ids).stream()
        .map(id -> statuses.publishedAt(id) - events.sentAt(id))
        .sorted()
        .toList();
  }

  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  /** Classes the service's JVM has loaded, and how many of them came from a CDS archive. */
  /**
   * What Liberty itself holds with the service's features, {@code jvm.options} and {@code
   * server.env} and no application: a copy of the server without its {@code <webApplication>},
   * started and sampled as the memory rounds sample the service. The service's RSS above it is what
   * the application brings (its classes and the features' classes it wakes, its clients, threads
   * and live data): the part of the RSS target the application's code can move.
   */
  private void platformAlone(long serviceRssMiB) throws IOException, InterruptedException {
    LibertyServer platform = stack.separateServer("cloudoreg-platform-alone", Map.of());
    Path serverXml = platform.logs().getParent().resolve("server.xml");
    String config = Files.readString(serverXml);
    String withoutApplication = config.replaceAll("\\s*<webApplication\\b[^>]*/>", "");
    if (withoutApplication.equals(config)) {
      throw new IllegalStateException("no <webApplication/> to take out of " + serverXml);
    }
    Files.writeString(serverXml, withoutApplication);
    platform.start();
    try {
      String classes = loadedClasses(platform);
      ServiceMemory.Sample sample = ServiceMemory.afterGc(platform, params.memorySamples());
      line(
          String.format(
              "| Liberty alone: the same features, jvm.options and server.env, no application,"
                  + " idle after start, %d × (jcmd GC.run, then RSS) | RSS median %d MiB (the"
                  + " service after its second round: %d MiB, %+d MiB); heap used %d MiB of %d"
                  + " committed, metaspace %d MiB, %d threads, %s classes |",
              params.memorySamples(),
              sample.rssMedian(),
              serviceRssMiB,
              serviceRssMiB - sample.rssMedian(),
              sample.heapUsed(),
              sample.heapCommitted(),
              sample.metaspace(),
              sample.threads(),
              classes));
    } finally {
      platform.stop();
    }
  }

  private static String loadedClasses(LibertyServer server)
      throws IOException, InterruptedException {
    String counters = ServiceMemory.jcmd(server, "PerfCounter.print");
    long loaded = ServiceMemory.kib(counters, "java\\.cls\\.loadedClasses=(\\d+)");
    long shared = ServiceMemory.kib(counters, "java\\.cls\\.sharedLoadedClasses=(\\d+)");
    return loaded + " (" + shared + " from the CDS archive)";
  }

  /** The JVM's own account of its memory, by category (Native Memory Tracking). */
  private static String nativeMemory(LibertyServer server)
      throws IOException, InterruptedException {
    String summary = ServiceMemory.jcmd(server, "VM.native_memory", "summary", "scale=MB");
    Matcher category =
        Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)")
            .matcher(summary);
    Matcher total = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB").matcher(summary);
    StringBuilder parts =
        new StringBuilder(total.find() ? "total " + total.group(1) + " MiB:" : "");
    while (category.find()) {
      if (Integer.parseInt(category.group(2)) >= 2) {
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

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }
}
