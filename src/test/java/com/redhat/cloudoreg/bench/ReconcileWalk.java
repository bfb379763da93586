package com.redhat.cloudoreg.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.bench.WalkPlan.Org;
import com.redhat.cloudoreg.bench.WalkPlan.TrustedSource;
import com.redhat.cloudoreg.ledger.RecordEmitter;
import com.redhat.cloudoreg.ledger.TrustLedger;
import com.redhat.cloudoreg.reconcile.Reconciler;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Ports;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One reconciliation walk on the real stack, measured (issue 20): Sources holds thousands of
 * sources over thousands of orgs, RHSM trusts each of them, and some of that trust is orphaned —
 * sources deleted at Sources without the service seeing it, in orgs that keep other sources, in
 * orgs whose last source is gone (which only the trust ledger names), and in orgs whose last source
 * went before the service knew them (which nothing names). A deployment of the packaged service at
 * the default {@code CLOUDOREG_RECONCILE_RATE} reconciles once, a short interval after it is ready;
 * the program reports how long the walk took, what each peer received and how fast, what the
 * service counted, what it cost the service in CPU, the service's own log of the walk, and whether
 * exactly the orphans it could know of went. A program with a report, not a test: its figures bound
 * nothing, and a wrong removal is shown, not thrown.
 *
 * <p>Run: {@code ./mvnw -B -Plocal-stack package
 * -Dstack.main=com.redhat.cloudoreg.bench.ReconcileWalk}. Sizes are system properties ({@link
 * WalkPlan.Sizes#fromSystemProperties}), and {@code walk.interval} (PT30S: when the run starts
 * after readiness), {@code walk.timeout} (PT30M), {@code walk.latency.ms} (0: how long the
 * stand-ins take to answer), {@code walk.report} (docs/reconcile-walk-report.md).
 */
public final class ReconcileWalk {
  /** The deployment's server directory, a copy of the built one with logs of its own. */
  private static final String SERVER = "cloudoreg-walk";

  /** How long removals may take to be confirmed once the walk has completed. */
  private static final Duration SETTLE = Duration.ofMinutes(2);

  private static final String RATE = "CLOUDOREG_RECONCILE_RATE";
  private static final String EVERY_SOURCE_PATH = SourcesStub.INTERNAL_API + "/sources";
  private static final Pattern A_SOURCE =
      Pattern.compile(Pattern.quote(SourcesStub.PUBLIC_API) + "/sources/(\\d+)");
  private static final String[] SKIP_REASONS = {
    "sources_list_unread", "org_unread", "source_unread"
  };

  /** Liberty's simple format: {@code [12/6/26, 7:30:21:919 UTC] 0000003b logger I message}. */
  private static final Pattern LOG_LINE =
      Pattern.compile("^\\[([^,]+, ([^\\]]+))\\] \\S+ (\\S+)\\s+([A-Z]) (.*)$");

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("M/d/yy, H:mm:ss:SSS z", Locale.ROOT);

  private final Stack stack;
  private final Params params;
  private final StringBuilder report = new StringBuilder();

  private ReconcileWalk(Stack stack, Params params) {
    this.stack = stack;
    this.params = params;
  }

  /**
   * What to run besides the sizes.
   *
   * @param interval {@code CLOUDOREG_RECONCILE_INTERVAL}: the first run starts that long after the
   *     service is ready
   * @param timeout how long the walk may take before the program reports what it saw so far
   * @param latencyMs how long every Sources and RHSM answer takes
   */
  record Params(
      WalkPlan.Sizes sizes, Duration interval, Duration timeout, int latencyMs, Path reportFile) {
    static Params fromSystemProperties() {
      return new Params(
          WalkPlan.Sizes.fromSystemProperties(),
          Duration.parse(System.getProperty("walk.interval", "PT30S")),
          Duration.parse(System.getProperty("walk.timeout", "PT30M")),
          Integer.getInteger("walk.latency.ms", 0),
          Path.of(System.getProperty("walk.report", "docs/reconcile-walk-report.md"))
              .toAbsolutePath());
    }
  }

  public static void main(String[] args) throws Exception {
    Params params = Params.fromSystemProperties();
    Path work = Files.createDirectories(Path.of("target", "reconcile-walk")).toAbsolutePath();
    String header = header(params);
    Stack.Settings settings =
        new Stack.Settings(
            work,
            Optional.empty(), // the walk's deployment is started below, once the peers are seeded
            System.getProperty("cloudoreg.server.name"),
            Files.readString(Path.of(System.getProperty("cloudoreg.test.classpath"))).trim(),
            Stack.Layout.free(),
            Map.of("LOG_FORMAT", "simple"));
    try (Stack stack = Stack.start(settings, step -> System.out.println("[stack] " + step))) {
      ReconcileWalk walk = new ReconcileWalk(stack, params);
      walk.report.append(header);
      System.out.print(header);
      try {
        walk.run();
      } finally {
        // a walk that broke off still tells how far it came
        Files.writeString(params.reportFile(), walk.report);
        System.out.println("report written to " + params.reportFile());
      }
    }
    System.exit(0);
  }

  private static String header(Params params) throws IOException, InterruptedException {
    WalkPlan.Sizes sizes = params.sizes();
    StringBuilder text = new StringBuilder();
    text.append(
        RunFacts.opening(
            "cloudoreg reconciliation walk report",
            ReconcileWalk.class,
            " Nothing in it is a pass/fail bound."));
    text.append("- machine: ")
        .append(RunFacts.machine())
        .append("; load average at start: ")
        .append(RunFacts.loadAverage())
        .append("; other Java processes at start: ")
        .append(RunFacts.otherJavaProcesses())
        .append('\n');
    text.append(RunFacts.serviceJvm());
    text.append(
            String.format(
                "- sizes: %,d sources over %,d orgs (`walk.sources`, `walk.orgs`); orphans: %,d"
                    + " sources gone in orgs that keep another (`walk.orphans`), %,d orgs whose"
                    + " every source is gone, named by the trust ledger (`walk.gone.orgs`), %,d"
                    + " such orgs named by nothing (`walk.unledgered.orgs`); %,d accounts added"
                    + " by hand (`walk.hand.added`); seed %d (`walk.seed`)",
                sizes.sources(),
                sizes.orgs(),
                sizes.orphans(),
                sizes.goneOrgs(),
                sizes.unledgeredOrgs(),
                sizes.handAdded(),
                sizes.seed()))
        .append('\n');
    text.append(
            String.format(
                "- deployment: one replica, `CLOUDOREG_RECONCILE_INTERVAL=%s` (the first run"
                    + " starts that long after ready), `%s` not set; stand-ins: the stack's"
                    + " stateful Sources and RHSM (every request checked against the peers'"
                    + " API documents), answering after %d ms (`walk.latency.ms`)",
                params.interval(), RATE, params.latencyMs()))
        .append("\n\n");
    return text.toString();
  }

  private void run() throws Exception {
    WalkPlan plan = WalkPlan.of(params.sizes());
    seed(plan);
    stack.sources.server().setGlobalFixedDelay(params.latencyMs());
    stack.rhsm.server().setGlobalFixedDelay(params.latencyMs());

    LibertyServer server = deployment();
    try {
      Duration startup = server.start();
      long readyAt = System.currentTimeMillis();
      // the warm-up's calls are not the walk's
      stack.sources.server().resetRequests();
      stack.rhsm.server().resetRequests();
      line(
          String.format(
              "The deployment was ready after %.1f s; `%s` as it reports it (`GET"
                  + " /internal/v1/operator/config`): %s.",
              startup.toMillis() / 1000.0, RATE, effectiveRate(server)));
      line("");
      try (CpuSampler cpu = cpuOf(server)) {
        boolean completed = awaitWalk(server);
        if (completed) {
          awaitRemovals(server);
        } else {
          line(
              String.format(
                  "**The walk did not complete within %s** (`walk.timeout`): what follows is what"
                      + " the peers and the service saw until then.",
                  params.timeout()));
          line("");
        }
        results(plan, server, cpu, readyAt);
      }
      checks(plan, server);
      walkLog(server, readyAt);
    } finally {
      server.close();
    }
    line("");
    line("- load average at the end: " + RunFacts.loadAverage());
    line("- other Java processes at the end: " + RunFacts.otherJavaProcesses());
  }

  /**
   * Sources and RHSM as the walk finds them, and the trust ledger as the service would have written
   * it: Sources holds every source with its Cloud Meter application, then loses the orphans (RHSM
   * keeps their trust); RHSM holds every source's trust and the accounts added by hand; the ledger
   * names every org that gained trust through the service.
   */
  private void seed(WalkPlan plan) throws Exception {
    long started = System.nanoTime();
    for (Org org : plan.orgs()) {
      for (TrustedSource source : org.sources()) {
        stack.sources.source(org.id(), source.id(), source.typeName());
        stack.sources.application(
            org.id(), source.applicationId(), source.id(), SourcesStub.CLOUD_METER_TYPE_ID);
        stack.rhsm.holds(org.id(), source.provider(), source.account(), Long.toString(source.id()));
      }
      for (String account : org.handAdded()) {
        stack.rhsm.holds(org.id(), RhsmStub.AWS, account, null);
      }
    }
    for (Org org : plan.orgs()) {
      for (TrustedSource source : org.sources()) {
        if (source.gone()) {
          stack.sources.destroySource(org.id(), source.id());
        }
      }
    }
    int ledgerRecords = seedLedger(plan.orgs(Org::inLedger));
    long seededMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

    line("## What the walk starts from");
    line("");
    line("| seeded | count |");
    line("|---|---|");
    row("orgs", plan.orgs().size());
    row(
        "sources, each with its Cloud Meter application at Sources and its trust at RHSM (one in"
            + " five an Azure subscription, the others AWS accounts)",
        plan.sources(org -> true, source -> true).size());
    row(
        "of them deleted at Sources, RHSM still trusting them, in orgs that keep another source",
        plan.sources(WalkPlan::keepsASource, TrustedSource::gone).size());
    line(
        String.format(
            "| orgs whose every source is gone, named by the trust ledger | %,d (%,d sources) |",
            plan.orgs(WalkPlan::lostEverySourceInLedger).size(),
            plan.sources(WalkPlan::lostEverySourceInLedger, TrustedSource::gone).size()));
    line(
        String.format(
            "| orgs whose every source is gone, named by no ledger record (trust from before the"
                + " service) | %,d (%,d sources) |",
            plan.orgs(WalkPlan::lostEverySourceUnledgered).size(),
            plan.sources(WalkPlan::lostEverySourceUnledgered, TrustedSource::gone).size()));
    row(
        "accounts added by hand (no source), the orgs without a source first",
        plan.orgs().stream().mapToInt(org -> org.handAdded().size()).sum());
    row(
        "trust-ledger records `org:<id>`, written by the service's own `TrustLedger`, as it writes"
            + " them when it trusts a source",
        ledgerRecords);
    line(
        String.format(
            "| Sources' list of every source: what it holds now | %,d sources over %,d orgs |",
            plan.sources(org -> true, source -> !source.gone()).size(),
            plan.orgs(Org::listed).size()));
    line(String.format("| seeding took | %,d ms |", seededMs));
    line("");
  }

  /**
   * Writes a ledger record for each org through the service's own {@link TrustLedger}, its emitter
   * a producer of this JVM: the records are the ones the service writes when it establishes trust.
   * Returns how many the broker acknowledged.
   */
  private int seedLedger(List<Org> orgs) throws Exception {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      TrustLedger ledger =
          new TrustLedger(new ProducerEmitter(producer, sent), Stack.TRUST_TOPIC, "live");
      orgs.forEach(org -> ledger.holds(org.id()));
      producer.flush();
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return sent.size();
  }

  /** The ledger's emitter, sending with a Kafka producer; each send's acknowledgement kept. */
  private static final class ProducerEmitter extends RecordEmitter {
    private final KafkaProducer<String, String> producer;
    private final List<CompletableFuture<Void>> sent;

    ProducerEmitter(KafkaProducer<String, String> producer, List<CompletableFuture<Void>> sent) {
      this.producer = producer;
      this.sent = sent;
    }

    @Override
    public CompletionStage<Void> send(ProducerRecord<String, String> record) {
      CompletableFuture<Void> acknowledged = new CompletableFuture<>();
      // the callback settles it
      var unused =
          producer.send(
              record,
              (metadata, refused) -> {
                if (refused == null) {
                  acknowledged.complete(null);
                } else {
                  acknowledged.completeExceptionally(refused);
                }
              });
      sent.add(acknowledged);
      return acknowledged;
    }
  }

  /** The walk's replica: the stack's settings, reconciling soon, at the default rate. */
  private LibertyServer deployment() {
    LibertyServer.copyServer(wlp(), System.getProperty("cloudoreg.server.name"), SERVER);
    Map<String, String> environment = new HashMap<>(stack.serverEnvironment);
    environment.put("CLOUDOREG_RECONCILE_INTERVAL", params.interval().toString());
    environment.remove(RATE);
    return new LibertyServer(wlp(), SERVER, environment, Ports.free());
  }

  private static Path wlp() {
    return Path.of(System.getProperty("cloudoreg.wlp.dir"));
  }

  /** The rate the service runs with, as it says, and the default it falls back to. */
  private static String effectiveRate(LibertyServer server) {
    String answer =
        server.get(server.privateUri("/internal/v1/operator/config"), Stack.OPERATOR).body();
    JsonObject settings;
    try (var reader = Json.createReader(new StringReader(answer))) {
      settings = reader.readObject();
    }
    String fallback = "the service's default, " + defaultRate() + " requests/s per peer";
    return settings.containsKey(RATE)
        ? "**" + settings.getString(RATE) + "** (set; " + fallback + ")"
        : "not set: " + fallback;
  }

  /** The default {@link Reconciler} declares for the rate, read from its constructor. */
  static String defaultRate() {
    for (Constructor<?> constructor : Reconciler.class.getConstructors()) {
      for (var annotations : constructor.getParameterAnnotations()) {
        for (var annotation : annotations) {
          if (annotation instanceof ConfigProperty property && property.name().equals(RATE)) {
            return property.defaultValue();
          }
        }
      }
    }
    return "unknown";
  }

  /** Samples the CPU of the service, the broker and this JVM (stand-ins, harness) from now on. */
  private CpuSampler cpuOf(LibertyServer server) {
    long service = server.jvm().pid();
    long broker = stack.kafka.jvm().pid();
    long harness = ProcessHandle.current().pid();
    return new CpuSampler(
        List.of(
            () -> ProcessCpu.millis(service),
            () -> ProcessCpu.millis(broker),
            () -> ProcessCpu.millis(harness)));
  }

  /**
   * Waits until the service says a run completed, telling the console every minute how far the walk
   * is. Returns whether it completed within the timeout.
   */
  private boolean awaitWalk(LibertyServer server) throws InterruptedException {
    long deadline = System.nanoTime() + params.timeout().toNanos();
    long nextNews = System.nanoTime();
    while (server.metric("cloudoreg_reconcile_last_complete_timestamp_seconds") <= 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      if (System.nanoTime() >= nextNews) {
        Map<Kind, Long> so = counts(requests());
        System.out.printf("[walk] %s so far: %s%n", Instant.now(), so);
        nextNews += TimeUnit.MINUTES.toNanos(1);
      }
      TimeUnit.SECONDS.sleep(5);
    }
    return true;
  }

  /**
   * Removals are durable and asynchronous: the run completes before RHSM has confirmed the last of
   * them. Waits until every orphan found is removed (or {@link #SETTLE}), then until RHSM has been
   * quiet a moment.
   */
  private void awaitRemovals(LibertyServer server) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (server.metric("cloudoreg_reconcile_orphans_removed_total")
            < server.metric("cloudoreg_reconcile_orphans_found_total")
        && System.nanoTime() < deadline) {
      TimeUnit.SECONDS.sleep(1);
    }
    int seen;
    do {
      seen = stack.rhsm.server().getAllServeEvents().size();
      TimeUnit.SECONDS.sleep(3);
    } while (stack.rhsm.server().getAllServeEvents().size() != seen);
  }

  /** A request a stand-in received during the walk. */
  record Request(long at, Kind kind, String org, String path, int status) {}

  /** What a request the stand-ins received was for. */
  enum Kind {
    SOURCES_LIST(
        "Sources", "pages of the list of every source (`GET " + EVERY_SOURCE_PATH + "`)", true),
    SOURCES_SOURCE(
        "Sources",
        "a source (`GET " + SourcesStub.PUBLIC_API + "/sources/{id}`), for trust not on the list",
        true),
    SOURCES_OTHER("Sources", "anything else", false),
    RHSM_ENABLED("RHSM", "what an org holds (`GET " + RhsmStub.ENABLED + "`)", true),
    RHSM_REMOVAL(
        "RHSM",
        "a source's trust removed (`DELETE " + RhsmStub.SOURCE_ACCOUNTS + "?sourceID=`)",
        false),
    RHSM_OTHER("RHSM", "anything else", false);

    final String peer;
    final String what;

    /** Whether the reconciliation paces it ({@code CLOUDOREG_RECONCILE_RATE}). */
    final boolean paced;

    Kind(String peer, String what, boolean paced) {
      this.peer = peer;
      this.what = what;
      this.paced = paced;
    }

    static Kind of(String peer, String method, String path) {
      if (peer.equals("Sources")) {
        if (method.equals("GET") && path.equals(EVERY_SOURCE_PATH)) {
          return SOURCES_LIST;
        }
        return method.equals("GET") && A_SOURCE.matcher(path).matches()
            ? SOURCES_SOURCE
            : SOURCES_OTHER;
      }
      if (method.equals("GET") && path.equals(RhsmStub.ENABLED)) {
        return RHSM_ENABLED;
      }
      return method.equals("DELETE") && path.equals(RhsmStub.SOURCE_ACCOUNTS)
          ? RHSM_REMOVAL
          : RHSM_OTHER;
    }
  }

  /** Every request the two stand-ins received since the service was ready, in order. */
  private List<Request> requests() {
    List<Request> requests = new ArrayList<>();
    collect(requests, "Sources", stack.sources.server(), SourcesStub.ORG_HEADER);
    collect(requests, "RHSM", stack.rhsm.server(), RhsmStub.ORG_HEADER);
    requests.sort((a, b) -> Long.compare(a.at(), b.at()));
    return requests;
  }

  private static void collect(
      List<Request> into, String peer, WireMockServer server, String orgHeader) {
    server
        .getAllServeEvents()
        .forEach(
            served -> {
              LoggedRequest request = served.getRequest();
              String path = URI.create(request.getUrl()).getPath();
              String method = request.getMethod().getName();
              into.add(
                  new Request(
                      request.getLoggedDate().getTime(),
                      Kind.of(peer, method, path),
                      request.getHeader(orgHeader),
                      path,
                      served.getResponse().getStatus()));
            });
  }

  private static Map<Kind, Long> counts(List<Request> requests) {
    Map<Kind, Long> counts = new TreeMap<>();
    requests.forEach(request -> counts.merge(request.kind(), 1L, Long::sum));
    return counts;
  }

  /**
   * The most requests within any one second (a sliding window, not clock seconds): what a peer saw
   * at its busiest. {@code at} must be sorted.
   */
  static int busiestSecond(long[] at) {
    int most = 0;
    int first = 0;
    for (int last = 0; last < at.length; last++) {
      while (at[last] - at[first] >= 1000) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  private void results(WalkPlan plan, LibertyServer server, CpuSampler cpu, long readyAt)
      throws InterruptedException {
    List<Request> requests = requests();
    line("## The walk");
    line("");
    if (requests.isEmpty()) {
      line("No request reached the peers after the service was ready.");
      line("");
      return;
    }
    long start = requests.get(0).at();
    long end = requests.get(requests.size() - 1).at();
    long lastRead =
        requests.stream()
            .filter(request -> request.kind() != Kind.RHSM_REMOVAL)
            .mapToLong(Request::at)
            .max()
            .orElse(end);
    double serviceSeconds = server.metric("cloudoreg_reconcile_duration_seconds_sum");
    line("| figure | value |");
    line("|---|---|");
    line(
        String.format(
            "| duration, the service's own (`cloudoreg_reconcile_duration_seconds`: run start →"
                + " complete, over %.0f run) | **%s** |",
            server.metric("cloudoreg_reconcile_duration_seconds_count"),
            seconds(Math.round(serviceSeconds * 1000))));
    line(
        String.format(
            "| duration, as the peers saw it: first request → last read / → last removal | %s / %s |",
            seconds(lastRead - start), seconds(end - start)));
    int walked = plan.orgs(Org::walked).size();
    line(
        String.format(
            "| the floor under it: one RHSM read per org walked, at the default rate | %,d orgs / %s"
                + " per s = %s |",
            walked,
            defaultRate(),
            seconds(walked * 1000L / Math.max(1, Long.parseLong(defaultRate())))));
    line(
        String.format(
            "| the first request came after ready (`CLOUDOREG_RECONCILE_INTERVAL=%s`) | %s |",
            params.interval(), seconds(start - readyAt)));
    for (Kind kind : Kind.values()) {
      List<Request> ofKind = requests.stream().filter(request -> request.kind() == kind).toList();
      boolean other = kind == Kind.SOURCES_OTHER || kind == Kind.RHSM_OTHER;
      line(
          String.format(
              "| %s: %s | %s |",
              kind.peer,
              kind.what,
              ofKind.isEmpty() && other
                  ? "none"
                  : String.format(
                      "**%,d** (%s)%s",
                      ofKind.size(),
                      statuses(ofKind),
                      other
                          ? ": " + ofKind.stream().map(Request::path).distinct().limit(5).toList()
                          : "")));
    }
    for (String peer : List.of("Sources", "RHSM")) {
      List<Request> toPeer =
          requests.stream().filter(request -> request.kind().peer.equals(peer)).toList();
      long[] paced =
          toPeer.stream().filter(request -> request.kind().paced).mapToLong(Request::at).toArray();
      line(
          String.format(
              "| %s: requests of the walk, of them paced (reads); the paced ones' mean rate, first"
                  + " request → last read; most requests within one second (sliding window): all,"
                  + " paced | %,d, %,d; **%.2f/s**; %d, %d |",
              peer,
              toPeer.size(),
              paced.length,
              paced.length * 1000.0 / Math.max(1, lastRead - start),
              busiestSecond(toPeer.stream().mapToLong(Request::at).toArray()),
              busiestSecond(paced)));
    }
    line(
        String.format(
            "| orphans found / removed (`cloudoreg_reconcile_orphans_found_total`, `…_removed_total`)"
                + " | **%.0f / %.0f** |",
            server.metric("cloudoreg_reconcile_orphans_found_total"),
            server.metric("cloudoreg_reconcile_orphans_removed_total")));
    line(
        "| skipped (`cloudoreg_reconcile_skipped_total` by reason) | "
            + Arrays.stream(SKIP_REASONS)
                .map(
                    reason ->
                        String.format(
                            "%s %.0f",
                            reason,
                            server.metric("cloudoreg_reconcile_skipped_total", "reason", reason)))
                .collect(Collectors.joining(", "))
            + " |");
    line(
        String.format(
            "| runs (`cloudoreg_reconcile_runs_total`) | complete %.0f, incomplete %.0f |",
            server.metric("cloudoreg_reconcile_runs_total", "result", "complete"),
            server.metric("cloudoreg_reconcile_runs_total", "result", "incomplete")));
    long[] used = cpu.usedBetween(start, end);
    line(
        String.format(
            "| CPU from the first request to the last (from `/proc`): the service; per org walked;"
                + " the broker; the stand-ins and harness (this JVM) | **%s**; %.1f ms; %s; %s |",
            seconds(used[0]),
            used[0] / (double) Math.max(1, walked),
            seconds(used[1]),
            seconds(used[2])));
    line("| trust-ledger records the walk wrote | " + ledgerWrites(plan) + " |");
    line("");
  }

  /** {@code 200 ×1,995, 404 ×3}. */
  private static String statuses(List<Request> requests) {
    Map<Integer, Long> byStatus =
        requests.stream()
            .collect(Collectors.groupingBy(Request::status, TreeMap::new, Collectors.counting()));
    return byStatus.isEmpty()
        ? "none"
        : byStatus.entrySet().stream()
            .map(e -> String.format("%d ×%,d", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
  }

  /** What the service wrote to the ledger after the seeded records: progress, tombstones. */
  private String ledgerWrites(WalkPlan plan) {
    var records = stack.kafka.everyRecord(Stack.TRUST_TOPIC::equals);
    List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> written =
        records.subList(Math.min(records.size(), plan.orgs(Org::inLedger).size()), records.size());
    long progress = written.stream().filter(r -> TrustLedger.PROGRESS_KEY.equals(r.key())).count();
    long tombstones = written.stream().filter(r -> r.value() == null).count();
    return String.format(
        "%d `%s`, %d tombstones of `org:<id>`, %d other",
        progress, TrustLedger.PROGRESS_KEY, tombstones, written.size() - progress - tombstones);
  }

  /**
   * What RHSM holds now against what it should: the trust of every source Sources has, and every
   * account added by hand, kept; every orphan of an org the walk could know of removed; the orphans
   * of orgs nothing names left (not walked). Which orgs and sources were asked about.
   */
  private void checks(WalkPlan plan, LibertyServer server) {
    Set<String> held = new HashSet<>();
    int heldInTotal = 0;
    for (Org org : plan.orgs()) {
      for (RhsmStub.Held account : stack.rhsm.holdings(org.id())) {
        held.add(holding(org.id(), account.provider(), account.id(), account.sourceId()));
        heldInTotal++;
      }
    }
    List<String> wrongRemovals = new ArrayList<>();
    int live = 0;
    int liveKept = 0;
    int orphansWalked = 0;
    int orphansWalkedRemoved = 0;
    int orphansUnnamed = 0;
    int orphansUnnamedKept = 0;
    int handAdded = 0;
    int handAddedKept = 0;
    for (Org org : plan.orgs()) {
      for (TrustedSource source : org.sources()) {
        boolean kept =
            held.contains(
                holding(org.id(), source.provider(), source.account(), Long.toString(source.id())));
        if (!source.gone()) {
          live++;
          if (kept) {
            liveKept++;
          } else {
            wrongRemovals.add(org.id() + "/" + source.id());
          }
        } else if (org.walked()) {
          orphansWalked++;
          orphansWalkedRemoved += kept ? 0 : 1;
        } else {
          orphansUnnamed++;
          orphansUnnamedKept += kept ? 1 : 0;
        }
      }
      for (String account : org.handAdded()) {
        handAdded++;
        if (held.contains(holding(org.id(), RhsmStub.AWS, account, null))) {
          handAddedKept++;
        } else {
          wrongRemovals.add(org.id() + "/hand-added " + account);
        }
      }
    }

    List<Request> requests = requests();
    Map<String, Long> askedOrgs =
        requests.stream()
            .filter(request -> request.kind() == Kind.RHSM_ENABLED)
            .collect(Collectors.groupingBy(Request::org, Collectors.counting()));
    Set<String> walked = plan.orgs(Org::walked).stream().map(Org::id).collect(Collectors.toSet());
    long notAsked = walked.stream().filter(org -> !askedOrgs.containsKey(org)).count();
    long askedTwice = askedOrgs.values().stream().filter(times -> times > 1).count();
    long askedUnwalked = askedOrgs.keySet().stream().filter(org -> !walked.contains(org)).count();
    Set<String> missingFromList =
        plan.sources(Org::walked, TrustedSource::gone).stream()
            .map(source -> Long.toString(source.id()))
            .collect(Collectors.toSet());
    List<String> askedSources =
        requests.stream()
            .filter(request -> request.kind() == Kind.SOURCES_SOURCE)
            .map(request -> request.path().substring(request.path().lastIndexOf('/') + 1))
            .toList();
    long askedListed = askedSources.stream().filter(id -> !missingFromList.contains(id)).count();
    List<String> violations = stack.takeViolations();

    line("## Checks");
    line("");
    if (!wrongRemovals.isEmpty()) {
      line(
          String.format(
              "**WRONG REMOVAL: RHSM lost %,d accounts it had to keep** (org/source): %s",
              wrongRemovals.size(), wrongRemovals.stream().limit(20).toList()));
      line("");
    }
    line("| check | expected | found |");
    line("|---|---|---|");
    check("trust of the sources Sources has, kept", live, liveKept);
    check("accounts added by hand, kept", handAdded, handAddedKept);
    check(
        "orphans of orgs Sources' list or the ledger names, removed",
        orphansWalked,
        orphansWalkedRemoved);
    check(
        "orphans of orgs nothing names (not walked: the walk cannot know of them), still held",
        orphansUnnamed,
        orphansUnnamedKept);
    check(
        "accounts RHSM holds now, over the plan's orgs",
        live + handAdded + orphansUnnamed,
        heldInTotal);
    line(
        String.format(
            "| orgs asked at RHSM: each walked org once | %,d | %,d asked; %d not asked, %d twice"
                + " or more, %d not walked |",
            walked.size(), askedOrgs.size(), notAsked, askedTwice, askedUnwalked));
    line(
        String.format(
            "| sources asked at Sources: each one missing from the list whose trust a walked org"
                + " holds | %,d | %,d asked; %d of them on the list |",
            missingFromList.size(), askedSources.size(), askedListed));
    line(
        String.format(
            "| requests breaking the peers' API documents or rules (the stand-ins' violations) |"
                + " 0 | %d%s |",
            violations.size(),
            violations.isEmpty() ? "" : ": " + violations.stream().limit(5).toList()));
    line(
        String.format(
            "| orphans the service counted, against those the walk could find | %,d | %.0f found,"
                + " %.0f removed |",
            orphansWalked,
            server.metric("cloudoreg_reconcile_orphans_found_total"),
            server.metric("cloudoreg_reconcile_orphans_removed_total")));
    line("");
  }

  /** An account as RHSM holds it for an org, through a source ({@code null}: added by hand). */
  private static String holding(String orgId, String provider, String account, String sourceId) {
    return String.join("/", orgId, provider, account, String.valueOf(sourceId));
  }

  private void check(String what, long expected, long found) {
    line(
        String.format(
            "| %s | %,d | %s |",
            what,
            expected,
            found == expected ? String.format("%,d", found) : String.format("**%,d**", found)));
  }

  /**
   * The service's own lines of the walk, from {@code messages.log}: the reconciliation's, but one
   * line per orphan removed (counted instead), and every warning or error of any logger.
   */
  private void walkLog(LibertyServer server, long readyAt) throws IOException {
    Path log = server.logs().resolve("messages.log");
    List<String> shown = new ArrayList<>();
    int removalLines = 0;
    int warnings = 0;
    for (String text : Files.readAllLines(log)) {
      Matcher line = LOG_LINE.matcher(text);
      if (!line.matches()) {
        continue;
      }
      boolean reconcile = line.group(3).startsWith("com.redhat.cloudoreg.reconcile.");
      // the start's warnings (readiness DOWN while warming up, Liberty's own) are not the walk's
      boolean warning =
          (line.group(4).equals("W") || line.group(4).equals("E"))
              && ZonedDateTime.parse(line.group(1), LOG_TIME).toInstant().toEpochMilli() >= readyAt;
      if (reconcile && line.group(5).contains("removes the trust of source")) {
        removalLines++;
      } else if (reconcile || warning) {
        shown.add(String.format("%s %s %s", line.group(2), line.group(4), line.group(5)));
      }
      warnings += warning ? 1 : 0;
    }
    line("## The service's log of the walk");
    line("");
    line(
        String.format(
            "From `%s`: the reconciliation's lines (but %,d lines \"removes the trust of source …\","
                + " one per orphan), and every warning or error once the service was ready (%d).",
            log.getFileName(), removalLines, warnings));
    line("");
    line("```");
    shown.forEach(this::line);
    line("```");
  }

  /** {@code 404.96 s} as {@code 405.0 s (6 min 45.0 s)}: both parts rounded alike. */
  static String seconds(long millis) {
    long tenths = Math.round(millis / 100.0);
    return tenths >= 600
        ? String.format(
            Locale.ROOT, "%.1f s (%d min %.1f s)", tenths / 10.0, tenths / 600, tenths % 600 / 10.0)
        : String.format(Locale.ROOT, "%.1f s", tenths / 10.0);
  }

  private void row(String what, long count) {
    line(String.format("| %s | %,d |", what, count));
  }

  /** A line of the report, written at once: the report is as far as the run came. */
  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
    try {
      Files.writeString(params.reportFile(), report);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
