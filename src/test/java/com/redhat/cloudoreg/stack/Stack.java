package com.redhat.cloudoreg.stack;

import com.github.tomakehurst.wiremock.extension.Extension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything cloudoreg talks to, for real or as faithful stand-ins, plus cloudoreg itself: a real
 * Kafka broker, WireMock stand-ins for Sources, RHSM, STS and Azure (Entra ID and Resource Manager,
 * over TLS), and the packaged WAR on Liberty, configured for all of them.
 */
public final class Stack implements AutoCloseable {
  public static final String EVENT_TOPIC = "platform.sources.event-stream";
  public static final String STATUS_TOPIC = "platform.sources.status";
  public static final String DEAD_LETTER_TOPIC = "platform.cloudoreg.dead-letter";
  public static final String TRUST_TOPIC = "platform.cloudoreg.trust";

  /** The pre-shared key the stack configures; a secret that must never reach a log. */
  public static final String PSK = "cloudoreg-test-psk-Hx4t7LmQ";

  /** The operator endpoints' pre-shared key (one of two, as while rotating); a secret too. */
  public static final String OPERATOR_PSK = "cloudoreg-operator-psk-9fKq2Vw";

  /** The header that carries it. */
  public static final Map<String, String> OPERATOR = Map.of("x-rh-cloudoreg-psk", OPERATOR_PSK);

  public final KafkaBroker kafka;
  public final SourcesStub sources;
  public final RhsmStub rhsm;
  public final StsStub sts;
  public final AzureStubs azure;

  /** The certificates of the Azure stand-ins; the server trusts them through AZURE_TRUSTSTORE. */
  public final Certificates certificates;

  public final Samples samples;
  public final Ledger ledger;
  public final Map<String, String> serverEnvironment;
  private final Settings settings;
  private final List<CheckedStandIn> extraStandIns =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Optional<LibertyServer> server;
  public final Duration serverStartup;

  /** The test JVM's Kafka clients' log. */
  public final Path kafkaClientsLog;

  /** The requests the WireMock stand-ins answered, and whatever else the test JVM logs. */
  public final Path standInsLog;

  private Stack(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    Layout ports = settings.layout();
    kafkaClientsLog = settings.work().resolve("kafka-clients.log");
    standInsLog = settings.work().resolve("stand-ins.log");
    StackJvmLogs.into(kafkaClientsLog, standInsLog);
    samples = new Samples();
    long started = System.nanoTime();
    kafka =
        KafkaBroker.start(
            settings.work().resolve("kafka"),
            settings.testClasspath(),
            ports.kafka(),
            ports.kafkaController());
    kafka.createTopics(List.of(EVENT_TOPIC, STATUS_TOPIC, DEAD_LETTER_TOPIC), 3);
    kafka.createTopics(List.of(TRUST_TOPIC), 1);
    progress.accept(
        String.format(
            "Kafka broker up on %s after %d ms; log %s",
            kafka.bootstrapServers(), millisSince(started), kafka.log()));
    sources = new SourcesStub(samples, PSK, ports.sources(), settings.standInExtensions());
    rhsm = new RhsmStub(samples, ports.rhsm());
    sts = new StsStub(ports.sts(), settings.standInExtensions());
    StackJvmLogs.requestsOf("sources", sources.server());
    StackJvmLogs.requestsOf("rhsm", rhsm.server());
    StackJvmLogs.requestsOf("sts", sts.server());
    certificates = Certificates.generate(settings.work().resolve("certificates"));
    azure = new AzureStubs(certificates);
    ledger = new Ledger(kafka.bootstrapServers());
    progress.accept(
        String.format(
            "Stand-ins up: Sources %s, RHSM %s, STS %s; log %s",
            sources.url(), rhsm.url(), sts.url(), standInsLog));
    progress.accept("Kafka clients of this JVM log to " + kafkaClientsLog);
    Map<String, String> environment = new HashMap<>();
    environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("SOURCES_API_URL", sources.url());
    environment.put("SOURCES_PSK", PSK);
    // a new group starts at the end of the topic; the stack's broker is new, so start at its
    // beginning: no race between the consumer finding the end and a test's first event
    environment.put("CLOUDOREG_START_FROM", "earliest");
    environment.put("CLOUDOREG_PSKS", "cloudoreg-operator-psk-retired-3hZ," + OPERATOR_PSK);
    environment.put("RHSM_API_URL", rhsm.url());
    environment.put("AWS_ENDPOINT_URL_STS", sts.url());
    environment.put("AWS_REGION", StsStub.REGION);
    environment.put("AWS_ACCESS_KEY_ID", StsStub.SERVICE_ACCESS_KEY_ID);
    environment.put("AWS_SECRET_ACCESS_KEY", StsStub.SERVICE_SECRET_ACCESS_KEY);
    environment.putAll(azureEnvironment(azure, certificates));
    environment.putAll(settings.environment());
    serverEnvironment = Map.copyOf(environment);
    server =
        settings
            .wlp()
            .map(
                wlp ->
                    new LibertyServer(
                        wlp, settings.serverName(), environment, ports.serviceHttp()));
    server.ifPresent(
        liberty -> {
          // fresh logs for every run, like the broker's: tests read console-run.log, which the
          // server's restarts within a run append to, and an earlier run's lines would answer them
          Directories.recreate(liberty.logs());
          progress.accept("Starting cloudoreg on Liberty; logs in " + liberty.logs());
        });
    try {
      serverStartup = server.map(LibertyServer::start).orElse(Duration.ZERO);
    } catch (RuntimeException notReady) {
      // nothing left running (the broker, the stand-ins) to hold ports and locks after this run
      close();
      throw notReady;
    }
    server.ifPresent(
        liberty ->
            progress.accept(
                String.format(
                    "cloudoreg ready at %s after %d ms",
                    liberty.uri("/"), serverStartup.toMillis())));
  }

  public static Stack start(Settings settings) {
    return start(settings, step -> {});
  }

  /** Starts the stack, telling {@code progress} of each part that is up and where it logs. */
  public static Stack start(Settings settings, Consumer<String> progress) {
    return new Stack(settings, progress);
  }

  private static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }

  /**
   * Our Azure identity (tenant, application, principal, offer) as the stand-ins know it, their
   * URLs, and the trust store holding their certificate. Also Azure's retry delay as production has
   * it (the global {@code RETRY_DELAY} of the tests would shorten it): that delay is what honours a
   * {@code Retry-After} of up to a second.
   */
  static Map<String, String> azureEnvironment(AzureStubs azure, Certificates certificates) {
    return Map.of(
        "AZURE_TENANT_ID",
        AzureStubs.TENANT_ID,
        "AZURE_CLIENT_ID",
        AzureStubs.CLIENT_ID,
        "AZURE_CLIENT_SECRET",
        AzureStubs.CLIENT_SECRET,
        "AZURE_AUTHORITY_HOST",
        azure.authorityHost(),
        "AZURE_RESOURCE_MANAGER_URL",
        azure.resourceManagerUrl(),
        "AZURE_TRUSTSTORE",
        certificates.clientTrustStore().toString(),
        "AZURE_TRUSTSTORE_PASSWORD",
        Certificates.PASSWORD,
        AZURE_VERIFY_RETRY_DELAY,
        "1250",
        "AZURE_SP_OBJECT_ID",
        AzureStubs.SP_OBJECT_ID,
        // the offer's name derived as production derives it: cloudigrade-<its environment>
        "CLOUDIGRADE_ENVIRONMENT",
        AzureStubs.ENVIRONMENT);
  }

  /** MP Fault Tolerance's setting of {@code AzureVerifier#verify}'s retry delay, as a variable. */
  public static final String AZURE_VERIFY_RETRY_DELAY =
      "COM_REDHAT_CLOUDOREG_AZURE_AZUREVERIFIER_VERIFY_RETRY_DELAY";

  /** The service; absent when the stack runs only the peers (for {@code liberty:dev}). */
  public LibertyServer server() {
    return server.orElseThrow(() -> new IllegalStateException("this stack runs no service"));
  }

  /**
   * Another instance of the service against the same peers, with some settings changed (e.g. its
   * own event topic and consumer group); started by the caller.
   */
  public LibertyServer anotherServer(Map<String, String> changes) {
    Map<String, String> environment = new HashMap<>(serverEnvironment);
    environment.putAll(changes);
    return new LibertyServer(
        settings.wlp().orElseThrow(), settings.serverName(), environment, Ports.free());
  }

  /**
   * Another deployment against the same peers and broker, in a server directory of its own (a copy
   * of the built one), so it can run beside the stack's; a null value removes a setting. Started by
   * the caller.
   */
  public LibertyServer separateServer(String name, Map<String, String> changes) {
    Path wlp = settings.wlp().orElseThrow();
    LibertyServer.copyServer(wlp, settings.serverName(), name);
    Map<String, String> environment = new HashMap<>(serverEnvironment);
    changes.forEach(
        (key, value) -> {
          if (value == null) {
            environment.remove(key);
          } else {
            environment.put(key, value);
          }
        });
    return new LibertyServer(wlp, name, environment, Ports.free());
  }

  /** Checks that stand-in too after every test: one a test class starts for itself. */
  public void alsoCheck(CheckedStandIn standIn) {
    extraStandIns.add(standIn);
  }

  /**
   * What the requests received since the last call broke of the peers' contracts, over every
   * stand-in; afterwards there are none.
   */
  public List<String> takeViolations() {
    List<String> found = new java.util.ArrayList<>();
    found.addAll(sources.violations().take());
    found.addAll(rhsm.violations().take());
    found.addAll(sts.violations().take());
    found.addAll(azure.violations().take());
    extraStandIns.forEach(standIn -> found.addAll(standIn.violations().take()));
    return found;
  }

  /** Every peer back to its default answers, between tests. */
  public void resetPeers() {
    sources.reset();
    rhsm.reset();
    sts.reset();
    azure.reset();
  }

  @Override
  public void close() {
    server.ifPresent(LibertyServer::close);
    ledger.close();
    sources.close();
    rhsm.close();
    sts.close();
    azure.close();
    kafka.close();
  }

  /** Which ports the stack listens on. */
  public record Layout(
      int kafka, int kafkaController, int sources, int rhsm, int sts, int serviceHttp) {
    /** Free ports: tests never collide with anything else on the machine. */
    public static Layout free() {
      int[] ports = Ports.free(6);
      return new Layout(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
    }

    /** The ports of server.xml's defaults, so the service and liberty:dev need no settings. */
    public static Layout localDefaults() {
      return new Layout(9092, 9093, 8000, 3344, 4566, 9080);
    }
  }

  /**
   * Where things are, the ports, and extra environment for the server (e.g. faster retries in
   * tests). Without a Liberty installation the stack runs only the peers. {@code standInExtensions}
   * are WireMock extensions the Sources and STS stand-ins load beside their own, for stubs that
   * name them (a benchmark's answers taken from the request); the tests use none.
   */
  public record Settings(
      Path work,
      Optional<Path> wlp,
      String serverName,
      String testClasspath,
      Layout layout,
      Map<String, String> environment,
      List<Extension> standInExtensions) {
    public Settings(
        Path work,
        Optional<Path> wlp,
        String serverName,
        String testClasspath,
        Layout layout,
        Map<String, String> environment) {
      this(work, wlp, serverName, testClasspath, layout, environment, List.of());
    }
  }
}
