package com.redhat.cloudoreg.bench;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.redhat.cloudoreg.bench.SoakLedger.Application;
import com.redhat.cloudoreg.bench.SoakLedger.BadStatus;
import com.redhat.cloudoreg.bench.SoakLedger.DeadLetter;
import com.redhat.cloudoreg.bench.SoakLedger.Grant;
import com.redhat.cloudoreg.bench.SoakLedger.Held;
import com.redhat.cloudoreg.bench.SoakLedger.Judgement;
import com.redhat.cloudoreg.bench.SoakLedger.Lost;
import com.redhat.cloudoreg.bench.SoakLedger.Status;
import com.redhat.cloudoreg.bench.SoakLedger.Wrong;
import com.redhat.cloudoreg.bench.SoakScript.Kind;
import com.redhat.cloudoreg.bench.SoakScript.Step;
import com.redhat.cloudoreg.policy.Policy;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StatusRules;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The soak (issue 17's proof): the real stack — Kafka broker, stateful stand-ins, the packaged
 * service on Liberty with production's fault tolerance — under thousands of mixed Sources events
 * over hundreds of orgs while Sources and RHSM fail at random ({@link FaultPlan}), the service is
 * killed with SIGKILL and started again, and the broker is restarted; then, once the service is
 * quiet, a judgement of the end state ({@link SoakLedger}): the trust RHSM holds against what
 * Sources' end state justifies, each application's last status against what its grant implies, the
 * dead letters. A program with a report, not a test: what it finds is reported, with the events,
 * statuses and service log lines of each finding.
 *
 * <p>Run: {@code ./mvnw -B -Plocal-stack package -Dstack.main=com.redhat.cloudoreg.bench.Soak}
 * (docs/benchmarks.md). The report goes to {@code docs/soak-report.md} and {@code
 * target/soak/report.md}.
 */
public final class Soak {
  /** The events' one partition: Sources writes every event to partition 0. */
  private static final int PARTITION = 0;

  private static final int WARM_UP_ORGS = 20;
  private static final int WARM_UP_RATE = 50;
  private static final Duration WARM_UP_WAIT = Duration.ofMinutes(5);

  /** A late answer comes after the service's call timeout (its read timeout is shorter still). */
  private static final Duration LATE = Duration.ofMillis(Policy.PEER_CALL_TIMEOUT_MS + 1_000);

  /** The pauses of unsettled steps, shortened from production's PT10S doubling to PT3M. */
  private static final Map<String, String> SHORT_PAUSES =
      Map.of("CLOUDOREG_RETRY_PAUSE", "PT1S", "CLOUDOREG_RETRY_PAUSE_MAX", "PT5S");

  private static final Pattern RESOURCE_ID = Pattern.compile("\"resource_id\":\"(\\d+)\"");
  private static final Pattern METRIC_LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$");

  /** How many findings are told in full; the others are listed. */
  private static final int FINDINGS_IN_FULL = 15;

  private static final int LOG_LINES_PER_FINDING = 40;

  private final Stack stack;
  private final Params params;
  private final PeerFaults sourcesFaults;
  private final PeerFaults rhsmFaults;
  private final StringBuilder report = new StringBuilder();
  private final List<String> timeline = new CopyOnWriteArrayList<>();
  private final Set<String> trustingRoles = ConcurrentHashMap.newKeySet();
  private final List<Produced> produced = new CopyOnWriteArrayList<>();
  private long soakStartedAt;
  private long productionEndedAt;
  private int warmUpEvents;
  private Map<String, Double> firstJvmMetrics = Map.of();
  private ServiceMemory.Sample beforeKill;

  /** A step as produced: when, and with which tag (the event's order in the soak). */
  private record Produced(long tag, long at, Step step) {}

  private Soak(Stack stack, Params params, PeerFaults sourcesFaults, PeerFaults rhsmFaults) {
    this.stack = stack;
    this.params = params;
    this.sourcesFaults = sourcesFaults;
    this.rhsmFaults = rhsmFaults;
  }

  /**
   * What to run: {@code soak.seed} (17), {@code soak.orgs} and {@code soak.events} at least (300,
   * 3000), {@code soak.rate} events/s (20), {@code soak.warmup} creates before the faults (200),
   * {@code soak.quiet} seconds without a status before the judgement (30), {@code
   * soak.settle.limit} (PT20M), {@code soak.kill.at} and {@code soak.broker.at} (shares of the
   * events produced: 0.35, 0.70), {@code soak.broker.down} (PT5S), {@code soak.machine} (what the
   * report says of the machine), {@code soak.report} (docs/soak-report.md).
   */
  record Params(
      long seed,
      int orgs,
      int events,
      int rate,
      int warmUpCreates,
      Duration quiet,
      Duration settleLimit,
      double killAt,
      double brokerAt,
      Duration brokerDown,
      String machine,
      Path reportFile) {
    static Params fromSystemProperties() {
      return new Params(
          Long.getLong("soak.seed", 17),
          Integer.getInteger("soak.orgs", 300),
          Integer.getInteger("soak.events", 3000),
          Integer.getInteger("soak.rate", 20),
          Integer.getInteger("soak.warmup", 200),
          Duration.ofSeconds(Integer.getInteger("soak.quiet", 30)),
          Duration.parse(System.getProperty("soak.settle.limit", "PT20M")),
          Double.parseDouble(System.getProperty("soak.kill.at", "0.35")),
          Double.parseDouble(System.getProperty("soak.broker.at", "0.70")),
          Duration.parse(System.getProperty("soak.broker.down", "PT5S")),
          System.getProperty(
              "soak.machine",
              "shared machine: other engineers' builds and tests may run beside the soak"),
          Path.of(System.getProperty("soak.report", "docs/soak-report.md")).toAbsolutePath());
    }
  }

  public static void main(String[] args) throws Exception {
    Params params = Params.fromSystemProperties();
    Path work = Files.createDirectories(Path.of("target", "soak")).toAbsolutePath();
    FaultPlan plan = new FaultPlan(params.seed(), 0.10, 0.01);
    PeerFaults sourcesFaults =
        new PeerFaults("sources", SourcesStub.ORG_HEADER, plan, LATE, Soak::sourcesError);
    PeerFaults rhsmFaults =
        new PeerFaults("rhsm", RhsmStub.ORG_HEADER, plan, LATE, Soak::rhsmError);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("LOG_FORMAT", "simple");
    environment.putAll(SHORT_PAUSES);
    Stack.Settings settings =
        new Stack.Settings(
            work,
            Optional.of(Path.of(System.getProperty("cloudoreg.wlp.dir"))),
            System.getProperty("cloudoreg.server.name"),
            Files.readString(Path.of(System.getProperty("cloudoreg.test.classpath"))).trim(),
            Stack.Layout.free(),
            Map.copyOf(environment));
    String header = header(params, plan);
    try (Stack stack = Stack.start(settings, step -> System.out.println("[stack] " + step))) {
      Soak soak = new Soak(stack, params, sourcesFaults, rhsmFaults);
      soak.report.append(header);
      System.out.print(header);
      try {
        soak.run();
      } finally {
        // a soak that broke off still tells how far it came
        Files.writeString(work.resolve("report.md"), soak.report);
        Files.writeString(params.reportFile(), soak.report);
        System.out.println("report written to " + params.reportFile());
      }
    }
    System.exit(0);
  }

  /** Sources' error body, as its API documents it. */
  private static ResponseDefinitionBuilder sourcesError(int status) {
    return jsonError(
        status,
        "{\"errors\":[{\"detail\":\"fault injected by the soak\",\"status\":\"" + status + "\"}]}");
  }

  /** RHSM's error body, as its API documents it. */
  private static ResponseDefinitionBuilder rhsmError(int status) {
    return jsonError(
        status, "{\"error\":{\"code\":" + status + ",\"message\":\"fault injected by the soak\"}}");
  }

  private static ResponseDefinitionBuilder jsonError(int status, String body) {
    return WireMock.aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static String header(Params params, FaultPlan plan)
      throws IOException, InterruptedException {
    StringBuilder text = new StringBuilder();
    text.append(RunFacts.opening("cloudoreg soak report", Soak.class, ""));
    text.append("- machine: ")
        .append(RunFacts.machine())
        .append("; **")
        .append(params.machine())
        .append("**; load average at start: ")
        .append(RunFacts.loadAverage())
        .append('\n');
    text.append(RunFacts.serviceJvm());
    text.append(
            String.format(
                "- fault tolerance: production's (each Sources or RHSM call bounded by %d ms, %d"
                    + " retries %d ms apart, a breaker per peer), except the pauses of unsettled"
                    + " steps (ours to finish, unconfirmed removals): `%s` instead of production's"
                    + " %s doubling to %s, so that the run ends in minutes",
                Policy.PEER_CALL_TIMEOUT_MS,
                Policy.PEER_RETRIES,
                Policy.PEER_RETRY_DELAY_MS,
                new TreeMap<>(SHORT_PAUSES),
                Policy.RETRY_PAUSE_FIRST,
                Policy.RETRY_PAUSE_MAX))
        .append('\n');
    text.append(
            String.format(
                "- faults: seed **%d**; of the calls to Sources and to RHSM, %.0f %% answered 500"
                    + " or 503 at once and %.0f %% answered after %d ms (past the call's time"
                    + " bound), decided per receipt of each request by the seed (`FaultPlan`);"
                    + " STS not faulted; on from the first soak event to the judgement, off for"
                    + " the first start and the warm-up",
                plan.seed(), plan.errorRate() * 100, plan.slowRate() * 100, LATE.toMillis()))
        .append('\n');
    text.append(
            String.format(
                "- sizes: at least %d orgs and %,d events at %d events/s, after a warm-up of %d"
                    + " creates over %d orgs; SIGKILL of the service after %.0f %% of the events,"
                    + " a broker restart (down %d s) after %.0f %%; quiet = %d s without a new"
                    + " status and the service's gauges at zero",
                params.orgs(),
                params.events(),
                params.rate(),
                params.warmUpCreates(),
                WARM_UP_ORGS,
                params.killAt() * 100,
                params.brokerDown().toSeconds(),
                params.brokerAt() * 100,
                params.quiet().toSeconds()))
        .append('\n');
    text.append(
        "- stand-ins: Sources and RHSM keep state as they do (every request checked against"
            + " their API documents), STS checks every signature and knows which roles trust us;"
            + " Sources changes its rows before it emits the event, as Sources does\n\n");
    return text.toString();
  }

  private void run() throws Exception {
    LibertyServer server = stack.server();
    sourcesFaults.install(stack.sources.server());
    rhsmFaults.install(stack.rhsm.server());
    SoakScript script = new SoakScript(params.seed());
    List<Step> warmUp = script.warmUp(WARM_UP_ORGS, params.warmUpCreates());
    List<Step> steps = script.soak(params.orgs(), params.events());

    ServiceMemory.Sample afterWarmUp;
    int unacknowledgedEvents;
    try (Events events = new Events(stack.kafka.bootstrapServers())) {
      events.connect();
      produce(events, warmUp, WARM_UP_RATE, 0, Map.of());
      warmUpEvents = warmUp.size();
      awaitFirstStatuses(warmUp);
      afterWarmUp = ServiceMemory.afterGc(server, 3);

      sourcesFaults.on();
      rhsmFaults.on();
      soakStartedAt = System.currentTimeMillis();
      event("faults on; the soak's first event");
      ExecutorService disruptions = Executors.newSingleThreadExecutor();
      Map<Integer, Runnable> at = new TreeMap<>();
      at.put((int) (steps.size() * params.killAt()), () -> disruptions.execute(this::killAndStart));
      at.put(
          (int) (steps.size() * params.brokerAt()), () -> disruptions.execute(this::restartBroker));
      produce(events, steps, params.rate(), warmUp.size(), at);
      event("the soak's last event produced");
      disruptions.shutdown();
      if (!disruptions.awaitTermination(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the disruptions did not end within 10 minutes");
      }
      events.close(); // waits for the broker's acknowledgement of every event
      unacknowledgedEvents =
          (int) produced.stream().filter(p -> !events.acknowledged(p.tag())).count();
      productionEndedAt = System.currentTimeMillis();
      event("every event acknowledged by the broker but " + unacknowledgedEvents);
    }

    Settled settled = awaitQuiet(server);
    ServiceMemory.Sample afterSoak = ServiceMemory.afterGc(server, 3);
    Map<String, Double> secondJvmMetrics = scrape(server);
    sourcesFaults.off();
    rhsmFaults.off();

    Judgement judgement = judge(steps, warmUp);
    writeReport(
        steps, judgement, settled, unacknowledgedEvents, afterWarmUp, afterSoak, secondJvmMetrics);
  }

  /** Each step's rows changed in Sources, then its event produced, at that rate. */
  private void produce(
      Events events, List<Step> steps, int perSecond, int firstTag, Map<Integer, Runnable> at)
      throws InterruptedException {
    long started = System.nanoTime();
    for (int i = 0; i < steps.size(); i++) {
      Optional.ofNullable(at.get(i)).ifPresent(Runnable::run);
      long due = started + TimeUnit.SECONDS.toNanos(i) / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait); // pacing the customers, not the code under test
      }
      Step step = steps.get(i);
      long tag = (long) firstTag + i;
      apply(step);
      events.sendAsync(PARTITION, step.orgId(), headers(step), body(step), tag);
      produced.add(new Produced(tag, System.currentTimeMillis(), step));
    }
  }

  /** What Sources changes before it emits the step's event; the role trusts us beforehand. */
  private void apply(Step step) {
    SourcesStub sources = stack.sources;
    switch (step.kind()) {
      case CREATE -> {
        trusting(step);
        sources.source(step.orgId(), step.sourceId(), "amazon");
        sources.application(
            step.orgId(), step.applicationId(), step.sourceId(), SourcesStub.CLOUD_METER_TYPE_ID);
        sources.authentication(step.orgId(), step.authenticationId(), grant(step));
      }
      case UPDATE_NEW_ACCOUNT, UPDATE_SAME_ACCOUNT, UPDATE_INVALID, UPDATE_BACK -> {
        trusting(step);
        sources.authentication(step.orgId(), step.authenticationId(), grant(step));
      }
      case DESTROY_APPLICATION -> sources.destroyApplication(step.orgId(), step.applicationId());
      case DESTROY_SOURCE -> sources.destroySource(step.orgId(), step.sourceId());
      case RESENT_CREATE, PAUSE, UNPAUSE, SOURCE_DESTROYED -> {
        // no row the service reads changes: Sources keeps "paused" apart from availability
      }
    }
  }

  private static AuthenticationSpec grant(Step step) {
    return AuthenticationSpec.arn(step.arn(), step.externalId(), step.applicationId());
  }

  /** Every role a customer means trusts us; a typo is not a role at all. */
  private void trusting(Step step) {
    if (step.kind() != Kind.UPDATE_INVALID
        && trustingRoles.add(trustKey(step.arn(), step.externalId()))) {
      stack.sts.trusts(step.arn(), step.externalId());
    }
  }

  private static String trustKey(String arn, String externalId) {
    return arn + " " + externalId;
  }

  private static Map<String, String> headers(Step step) {
    Map<String, String> headers =
        Events.createHeaders(
            step.orgId(),
            step.accountNumber(),
            Identities.user(step.orgId(), step.accountNumber()));
    if (step.kind() == Kind.RESENT_CREATE) {
      // Sources' retry job: no account number, an identity of its own (event fixture)
      headers.put("x-rh-sources-account-number", "");
      headers.put(
          "x-rh-identity",
          Identities.encode(
              "{\"identity\":{\"org_id\":\""
                  + step.orgId()
                  + "\",\"internal\":{\"org_id\":\"\"},\"type\":\"System\"},"
                  + "\"entitlements\":null}"));
    }
    headers.put("event_type", step.kind().eventType);
    return headers;
  }

  private String body(Step step) {
    return switch (step.kind()) {
      case CREATE, RESENT_CREATE ->
          Events.createBody(
              step.applicationAuthenticationId(), step.applicationId(), step.authenticationId());
      case UPDATE_NEW_ACCOUNT, UPDATE_SAME_ACCOUNT, UPDATE_INVALID, UPDATE_BACK ->
          Json.createObjectBuilder(fixture("event-authentication-update.json"))
              .add("id", Long.toString(step.authenticationId()))
              .add("username", step.arn())
              .add("extra", Json.createObjectBuilder().add("external_id", step.externalId()))
              .add("resource_id", step.applicationId())
              .add("source_id", step.sourceId())
              .add("tenant", step.accountNumber())
              .build()
              .toString();
      case PAUSE, UNPAUSE, DESTROY_APPLICATION, DESTROY_SOURCE -> {
        var application =
            Json.createObjectBuilder(fixture("event-application-destroy.json"))
                .add("id", step.applicationId())
                .add("source_id", step.sourceId())
                .add("application_type_id", Long.parseLong(SourcesStub.CLOUD_METER_TYPE_ID))
                .add("tenant", step.accountNumber());
        if (step.kind() == Kind.PAUSE) {
          application.add("paused_at", "2025-03-04 16:40:19 UTC");
        }
        yield application.build().toString();
      }
      case SOURCE_DESTROYED ->
          Json.createObjectBuilder()
              .add("id", step.sourceId())
              .add("name", "source " + step.sourceId())
              .add("source_type_id", Long.parseLong(SourcesStub.SOURCE_TYPE_IDS.get("amazon")))
              .add("tenant", step.accountNumber())
              .build()
              .toString();
    };
  }

  private JsonObject fixture(String name) {
    return stack.samples.object(name).getJsonObject("value");
  }

  private void awaitFirstStatuses(List<Step> creates) throws InterruptedException {
    long deadline = System.nanoTime() + WARM_UP_WAIT.toNanos();
    for (Step create : creates) {
      while (stack.ledger.statusesFor(create.applicationId()).isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the warm-up's creates not all answered in time");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    event("warm-up: " + creates.size() + " creates answered");
  }

  /** Scrapes, forces GCs, kills with SIGKILL, starts again; on its own thread, events go on. */
  private void killAndStart() {
    LibertyServer server = stack.server();
    try {
      beforeKill = ServiceMemory.afterGc(server, 3);
      firstJvmMetrics = scrape(server);
      long pid = server.jvm().pid();
      double waiting = server.metric("cloudoreg_events_unacknowledged");
      server.kill();
      event(
          String.format(
              "kill -9 of the service (pid %d; %.0f events taken and not yet acknowledged by it;"
                  + " its metrics scraped and its memory measured just before)",
              pid, waiting));
      Duration start = server.start();
      event(String.format("the service ready again, %d ms after its start", start.toMillis()));
    } catch (IOException | InterruptedException | RuntimeException e) {
      event("the kill and start failed: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void restartBroker() {
    try {
      event("broker stopping (SIGTERM)");
      stack.kafka.pause();
      event("broker stopped");
      TimeUnit.MILLISECONDS.sleep(params.brokerDown().toMillis());
      stack.kafka.resume();
      event("broker started again on the same port and data, answering");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      event("the broker restart failed: " + e);
    }
  }

  /** When the service was last heard of, and when it had nothing left to do. */
  private record Settled(
      boolean quiet, long lastStatusAt, Long idleAt, long declaredAt, Map<String, Double> gauges) {}

  private static final List<String> GAUGES =
      List.of(
          "cloudoreg_events_unacknowledged",
          "cloudoreg_events_in_flight",
          "cloudoreg_pending_removals",
          "cloudoreg_consumer_lag");

  /**
   * Quiet: no new status for {@code soak.quiet}, and the service's gauges say nothing is taken and
   * unacknowledged, running, waiting for RHSM to confirm a removal, or left on the topic.
   */
  private Settled awaitQuiet(LibertyServer server) throws InterruptedException {
    long deadline = productionEndedAt + params.settleLimit().toMillis();
    int lastCount = -1;
    long lastChange = productionEndedAt;
    Long idleAt = null;
    Map<String, Double> gauges = Map.of();
    while (System.currentTimeMillis() < deadline) {
      long now = System.currentTimeMillis();
      int count = stack.ledger.statuses().size();
      if (count != lastCount) {
        lastCount = count;
        lastChange = now;
      }
      gauges = gauges(server);
      boolean idle = !gauges.isEmpty() && gauges.values().stream().allMatch(value -> value == 0);
      idleAt = idle ? Optional.ofNullable(idleAt).orElse(now) : null;
      if (idle && now - lastChange >= params.quiet().toMillis()) {
        event("quiet: no status for " + params.quiet().toSeconds() + " s, gauges at zero");
        return new Settled(true, lastChange, idleAt, now, gauges);
      }
      TimeUnit.SECONDS.sleep(1);
    }
    event("NOT quiet within " + params.settleLimit() + "; judged as it was: " + gauges);
    return new Settled(false, lastChange, idleAt, System.currentTimeMillis(), gauges);
  }

  private Map<String, Double> gauges(LibertyServer server) {
    try {
      Map<String, Double> all = scrape(server);
      Map<String, Double> gauges = new LinkedHashMap<>();
      GAUGES.forEach(name -> gauges.put(name, sum(all, name)));
      return gauges;
    } catch (RuntimeException unreachable) {
      return Map.of();
    }
  }

  /** Every sample of the service's metrics, by name and labels. */
  private static Map<String, Double> scrape(LibertyServer server) {
    Map<String, Double> samples = new LinkedHashMap<>();
    server
        .get(server.metricsUri(), Map.of())
        .body()
        .lines()
        .map(METRIC_LINE::matcher)
        .filter(Matcher::matches)
        .forEach(
            m ->
                samples.put(
                    m.group(1) + Optional.ofNullable(m.group(2)).orElse(""),
                    Double.parseDouble(m.group(3))));
    return samples;
  }

  private static double sum(Map<String, Double> samples, String name, String... labels) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(e -> Stream.of(labels).allMatch(e.getKey()::contains))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private Judgement judge(List<Step> steps, List<Step> warmUp) {
    List<Application> live =
        stack.sources.applications().stream()
            .filter(SourcesStub.HeldApplication::sourceExists)
            .filter(a -> SourcesStub.CLOUD_METER_TYPE_ID.equals(a.typeId()))
            .map(
                a ->
                    new Application(
                        a.orgId(),
                        a.id(),
                        a.sourceId(),
                        a.authentications().stream()
                            .map(
                                json ->
                                    new Grant(
                                        Long.parseLong(json.getString("id")),
                                        json.getString("authtype", ""),
                                        json.getString("username", ""),
                                        Optional.ofNullable(json.getJsonObject("extra"))
                                            .map(extra -> extra.getString("external_id", null))
                                            .orElse(null)))
                            .toList()))
            .toList();
    Set<String> orgs = new LinkedHashSet<>();
    Stream.concat(warmUp.stream(), steps.stream()).forEach(step -> orgs.add(step.orgId()));
    List<Held> held =
        orgs.stream()
            .flatMap(org -> stack.rhsm.holdings(org).stream())
            .filter(h -> RhsmStub.AWS.equals(h.provider()))
            .map(h -> new Held(h.orgId(), h.id(), h.sourceId()))
            .toList();
    List<Status> statuses =
        stack.ledger.statuses().stream().map(Soak::status).flatMap(Optional::stream).toList();
    List<DeadLetter> deadLetters =
        stack.ledger.deadLetters().stream()
            .map(
                letter ->
                    new DeadLetter(
                        Ledger.header(letter, "cloudoreg-error").orElse("(no reason)"),
                        letter.key(),
                        Ledger.header(letter, "event_type").orElse("(none)"),
                        letter.value()))
            .toList();
    return SoakLedger.judge(
        live,
        held,
        statuses,
        deadLetters,
        (arn, externalId) -> trustingRoles.contains(trustKey(arn, externalId)));
  }

  private static Optional<Status> status(ConsumerRecord<String, String> record) {
    try {
      JsonObject body = Json.createReader(new StringReader(record.value())).readObject();
      String error = body.getString("error", "");
      return Optional.of(
          new Status(
              Long.parseLong(body.getString("resource_id")),
              body.getString("status", ""),
              error.contains(":") ? error.substring(0, error.indexOf(':')) : error));
    } catch (RuntimeException notAStatus) {
      return Optional.empty();
    }
  }

  private void writeReport(
      List<Step> steps,
      Judgement judgement,
      Settled settled,
      int unacknowledgedEvents,
      ServiceMemory.Sample afterWarmUp,
      ServiceMemory.Sample afterSoak,
      Map<String, Double> secondJvmMetrics)
      throws IOException {
    line("## Verdict");
    line("");
    line(
        judgement.passed() && settled.quiet() && unacknowledgedEvents == 0
            ? "**Passed**: no lost or wrong trust, every last status right, no dead letter."
            : "**Failed**: see the judgement and the findings below.");
    line("");
    line("## Judgement of the end state");
    line("");
    line("| check | result |");
    line("|---|---|");
    line(
        String.format(
            "| applications Sources holds at the end (source there too) | %,d; what their grants"
                + " imply: %s |",
            judgement.applications(),
            judgement.expectedVerdicts().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))));
    line(
        String.format(
            "| lost trust: a grant that must be trusted, its account not held for its org and"
                + " source | **%d** |",
            judgement.lost().size()));
    line(
        String.format(
            "| wrong trust: an account held through a source that no live grant justifies |"
                + " **%d** |",
            judgement.wrong().size()));
    line(
        String.format(
            "| last status not what the grant implies (none, or another verdict) | **%d** (of"
                + " which CG3100 at the end: %d) |",
            judgement.badStatuses().size(), judgement.oursToFinishAtTheEnd()));
    line(
        String.format(
            "| applications the judge could not rule on | %d%s |",
            judgement.unjudged().size(),
            judgement.unjudged().isEmpty()
                ? ""
                : ": "
                    + judgement.unjudged().stream()
                        .map(u -> u.application().id() + " (" + u.why() + ")")
                        .collect(Collectors.joining(", "))));
    line(
        String.format(
            "| dead letters | %d, of which not earned by their input (a transient cause or a"
                + " bug): **%d** |",
            judgement.deadLetters().size(), judgement.deadLettersNotEarnedByInput().size()));
    line(
        String.format(
            "| events the broker did not acknowledge to the producer | %d |",
            unacknowledgedEvents));
    List<String> ruleBreaks =
        stack.ledger.statuses().stream()
            .flatMap(s -> StatusRules.violations(s).stream().map(v -> v + " in " + s.value()))
            .toList();
    line(
        String.format(
            "| statuses that break Sources' rules for statuses | %d%s |",
            ruleBreaks.size(), ruleBreaks.isEmpty() ? "" : ": " + ruleBreaks.get(0)));
    List<String> violations = stack.takeViolations();
    line(
        String.format(
            "| requests the stand-ins' peers would refuse or that break our rules for calling"
                + " them | %d%s |",
            violations.size(),
            violations.isEmpty()
                ? ""
                : ": "
                    + violations.stream()
                        .limit(5)
                        .map(v -> v.replace('\n', ' ').replace("|", "\\|"))
                        .collect(Collectors.joining("; "))));
    line("");

    line("## Figures");
    line("");
    line("| figure | value |");
    line("|---|---|");
    Map<Kind, Long> byKind = new TreeMap<>();
    steps.forEach(step -> byKind.merge(step.kind(), 1L, Long::sum));
    line(
        String.format(
            "| events produced (all on partition 0, key = org id) | **%,d** over **%d** orgs: %s |",
            steps.size(),
            steps.stream().map(Step::orgId).distinct().count(),
            byKind.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "))));
    line(
        String.format(
            "| statuses published (warm-up included) | %,d; the same status again for an"
                + " application: %,d; CG3100 on the way: %d |",
            judgement.statuses(), judgement.repeatedStatuses(), judgement.oursToFinishOnTheWay()));
    line(
        String.format(
            "| faults served | %s; %s |", sourcesFaults.describe(), rhsmFaults.describe()));
    line(
        String.format(
            "| the service's decisions (`cloudoreg_outcomes_total`), first JVM (scraped just before"
                + " the kill) | %s |",
            outcomes(firstJvmMetrics)));
    line(
        String.format(
            "| the service's decisions, second JVM (after its start, to the end) | %s |",
            outcomes(secondJvmMetrics)));
    line(
        String.format(
            "| re-drives (an attempt after one that was no verdict: CG3100, TYPE_UNKNOWN, or an"
                + " unconfirmed removal, each followed by another attempt) | %.0f |",
            Stream.of(firstJvmMetrics, secondJvmMetrics)
                .mapToDouble(
                    m ->
                        sum(m, "cloudoreg_outcomes_total", "code=\"CG3100\"")
                            + sum(m, "cloudoreg_outcomes_total", "code=\"TYPE_UNKNOWN\"")
                            + sum(m, "cloudoreg_outcomes_total", "code=\"REMOVAL_UNCONFIRMED\""))
                .sum()));
    line(
        String.format(
            "| retries inside calls (`ft_retry_retries_total`), breakers opened"
                + " (`ft_circuitbreaker_opened_total`), both JVMs | %.0f, %.0f |",
            sum(firstJvmMetrics, "ft_retry_retries_total")
                + sum(secondJvmMetrics, "ft_retry_retries_total"),
            sum(firstJvmMetrics, "ft_circuitbreaker_opened_total")
                + sum(secondJvmMetrics, "ft_circuitbreaker_opened_total")));
    line(
        String.format(
            "| time to quiescence, from the broker's acknowledgement of the last event | last status"
                + " after %.1f s; the service's gauges at zero from %s; quiet declared after %.1f"
                + " s (%s) |",
            seconds(settled.lastStatusAt() - productionEndedAt),
            settled.idleAt() == null
                ? "never"
                : String.format("%.1f s", seconds(settled.idleAt() - productionEndedAt)),
            seconds(settled.declaredAt() - productionEndedAt),
            settled.quiet() ? "quiet" : "**not quiet**: " + settled.gauges()));
    line(
        "| service RSS after forced GCs: first JVM after the warm-up / first JVM before the kill"
            + " / second JVM after the soak | "
            + memory(afterWarmUp)
            + " / "
            + (beforeKill == null ? "not measured" : memory(beforeKill))
            + " / "
            + memory(afterSoak)
            + String.format(
                " (events consumed, redeliveries and the warm-up's included: first JVM %,.0f by"
                    + " the kill, second JVM %,.0f) |",
                sum(firstJvmMetrics, "cloudoreg_events_consumed_total"),
                sum(secondJvmMetrics, "cloudoreg_events_consumed_total")));
    line("");
    line("## Timeline");
    line("");
    line("| t (s from the first soak event) | what |");
    line("|---|---|");
    timeline.forEach(this::line);
    line("");

    if (!judgement.deadLetters().isEmpty()) {
      line("## Dead letters");
      line("");
      line("| reason (`cloudoreg-error`) | key | event_type | body |");
      line("|---|---|---|---|");
      judgement
          .deadLetters()
          .forEach(
              d ->
                  line(
                      String.format(
                          "| %s | %s | %s | `%s` |",
                          cell(d.reason()),
                          d.key(),
                          d.eventType(),
                          cell(abbreviate(d.body(), 160)))));
      line("");
    }
    try {
      findings(judgement);
    } catch (IOException | RuntimeException e) {
      line("(the findings' details could not be gathered: " + e + ")");
    }
    line("- load average at the end: " + RunFacts.loadAverage());
  }

  private static String outcomes(Map<String, Double> metrics) {
    Map<String, Double> byCode = new TreeMap<>();
    Pattern code = Pattern.compile("code=\"([^\"]+)\"");
    metrics.forEach(
        (name, value) -> {
          if (name.startsWith("cloudoreg_outcomes_total{") && value > 0) {
            Matcher m = code.matcher(name);
            if (m.find()) {
              byCode.merge(m.group(1), value, Double::sum);
            }
          }
        });
    return byCode.isEmpty()
        ? "none"
        : byCode.entrySet().stream()
            .map(e -> String.format("%s %.0f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
  }

  private static String memory(ServiceMemory.Sample sample) {
    return String.format(
        "RSS median %d MiB (min %d, max %d), heap %d of %d MiB, metaspace %d MiB, %d threads",
        sample.rssMedian(),
        sample.rssMin(),
        sample.rssMax(),
        sample.heapUsed(),
        sample.heapCommitted(),
        sample.metaspace(),
        sample.threads());
  }

  /**
   * Each finding with what it takes to understand it: its source's events as produced, its
   * applications' statuses, and the service's log lines about them.
   */
  private void findings(Judgement judgement) throws IOException {
    record Finding(String what, String orgId, long sourceId) {}
    List<Finding> findings = new ArrayList<>();
    for (Lost lost : judgement.lost()) {
      findings.add(
          new Finding(
              String.format(
                  "lost trust: application %d (source %d) must be trusted as %s; account %s",
                  lost.application().id(),
                  lost.application().sourceId(),
                  lost.expected().text(),
                  lost.heldInstead()),
              lost.application().orgId(),
              lost.application().sourceId()));
    }
    for (Wrong wrong : judgement.wrong()) {
      findings.add(
          new Finding(
              String.format(
                  "wrong trust: account %s held for source %s: %s",
                  wrong.held().account(), wrong.held().sourceId(), wrong.why()),
              wrong.held().orgId(),
              Long.parseLong(wrong.held().sourceId())));
    }
    for (BadStatus bad : judgement.badStatuses()) {
      findings.add(
          new Finding(
              String.format(
                  "last status of application %d (source %d) is %s, its grant implies %s",
                  bad.application().id(),
                  bad.application().sourceId(),
                  bad.last(),
                  bad.expected().text()),
              bad.application().orgId(),
              bad.application().sourceId()));
    }
    if (findings.isEmpty()) {
      return;
    }
    line("## Findings");
    line("");
    findings.forEach(f -> line("- org " + f.orgId() + ": " + f.what()));
    line("");
    List<String> log = serviceLog();
    for (Finding finding : findings.subList(0, Math.min(FINDINGS_IN_FULL, findings.size()))) {
      line("### org " + finding.orgId() + ", source " + finding.sourceId());
      line("");
      line(finding.what());
      line("");
      Set<Long> applications = new LinkedHashSet<>();
      line("Events of the source, as produced (t in s from the first soak event):");
      line("");
      line("```");
      for (Produced p : produced) {
        Step step = p.step();
        if (step.orgId().equals(finding.orgId()) && step.sourceId() == finding.sourceId()) {
          applications.add(step.applicationId());
          line(
              String.format(
                  "t=%8.3f #%d %-20s application %d authentication %d%s",
                  seconds(p.at() - soakStartedAt),
                  p.tag(),
                  step.kind(),
                  step.applicationId(),
                  step.authenticationId(),
                  step.arn() == null ? "" : " " + step.arn()));
        }
      }
      line("```");
      line("");
      line("Statuses of its applications, in the order Kafka holds them:");
      line("");
      line("```");
      for (ConsumerRecord<String, String> status : stack.ledger.statuses()) {
        Matcher id = RESOURCE_ID.matcher(status.value());
        if (id.find() && applications.contains(Long.parseLong(id.group(1)))) {
          line(
              String.format(
                  "t=%8.3f %s", seconds(status.timestamp() - soakStartedAt), status.value()));
        }
      }
      line("```");
      line("");
      line("The service's log (`messages*.log`) about them:");
      line("");
      line("```");
      Pattern about =
          Pattern.compile(
              "(source_id="
                  + finding.sourceId()
                  + "|"
                  + applications.stream()
                      .map(a -> "application_id=" + a + "|application " + a)
                      .collect(Collectors.joining("|"))
                  + ")\\b");
      List<String> lines = log.stream().filter(l -> about.matcher(l).find()).toList();
      if (lines.size() > LOG_LINES_PER_FINDING) {
        line("(" + (lines.size() - LOG_LINES_PER_FINDING) + " earlier lines left out)");
      }
      lines
          .subList(Math.max(0, lines.size() - LOG_LINES_PER_FINDING), lines.size())
          .forEach(this::line);
      line("```");
      line("");
    }
  }

  /** Every line of the service's messages logs, the killed JVM's (renamed at the start) first. */
  private List<String> serviceLog() throws IOException {
    Path logs = stack.server().logs();
    List<Path> files;
    try (Stream<Path> listed = Files.list(logs)) {
      files =
          listed
              .filter(p -> p.getFileName().toString().startsWith("messages"))
              .sorted(Comparator.comparing(p -> p.toFile().lastModified()))
              .toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
    return lines;
  }

  private void event(String what) {
    long at = soakStartedAt == 0 ? 0 : System.currentTimeMillis() - soakStartedAt;
    String row =
        String.format(
            "| %.1f | %s (%,d soak events produced) |",
            at / 1000.0, what, Math.max(0, produced.size() - warmUpEvents));
    timeline.add(row);
    System.out.println("[soak] " + row);
  }

  private static double seconds(long millis) {
    return millis / 1000.0;
  }

  private static String abbreviate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length) + "…";
  }

  private static String cell(String text) {
    return text.replace('\n', ' ').replace("|", "\\|");
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }
}
