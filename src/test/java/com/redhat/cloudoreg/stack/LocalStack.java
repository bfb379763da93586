package com.redhat.cloudoreg.stack;

import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs cloudoreg on a local default stack: a real Kafka broker on localhost:9092, stand-ins for
 * Sources (:8000), RHSM (:3344/v1) and STS (:4566) that answer with the contract samples, and the
 * packaged service on Liberty (:9080). It sends the sample create event, prints the status
 * cloudoreg publishes, and keeps running until interrupted.
 *
 * <p>With {@code --peers-only} it runs everything but the service. With {@code --dev} it runs the
 * peers and, instead of the packaged service, Liberty's dev mode ({@code ./mvnw liberty:dev}: hot
 * reload on save, unit tests on Enter) configured for them; Ctrl-C stops both.
 */
public final class LocalStack {
  private static final String PEERS_ONLY = "--peers-only";
  private static final String DEV = "--dev";

  private LocalStack() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    boolean dev = DEV.equals(mode);
    boolean peersOnly = dev || PEERS_ONLY.equals(mode);
    Stack.Settings settings =
        new Stack.Settings(
            Files.createDirectories(Path.of("target", "local-stack")).toAbsolutePath(),
            peersOnly
                ? Optional.empty()
                : Optional.of(Path.of(System.getProperty("cloudoreg.wlp.dir"))),
            System.getProperty("cloudoreg.server.name"),
            read(Path.of(System.getProperty("cloudoreg.test.classpath"))),
            Stack.Layout.localDefaults(),
            Map.of());
    System.out.println("Starting the local stack in " + settings.work());
    Stack stack = Stack.start(settings, System.out::println);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Process> devMode = new AtomicReference<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Ctrl-C reaches dev mode too (one process group): let it stop its server first
                  Optional.ofNullable(devMode.get()).ifPresent(LocalStack::awaitExit);
                  stack.close();
                  stopped.countDown();
                }));
    serveSamples(stack);
    if (dev) {
      devMode.set(startDevMode(stack.serverEnvironment));
      int exit = devMode.get().waitFor();
      System.out.println("Liberty dev mode ended; stopping the stack.");
      System.exit(exit);
    }
    if (peersOnly) {
      System.out.println("Environment for the service (e.g. mvn liberty:dev):");
      stack.serverEnvironment.forEach(
          (name, value) -> System.out.println("  " + name + "=" + value));
    } else {
      sendSampleAndShowStatus(stack);
    }
    System.out.println("Running. Ctrl-C stops everything.");
    stopped.await();
  }

  /**
   * {@code ./mvnw liberty:dev} in this directory, sharing this terminal, with the stack's settings
   * for the service and plain log lines. The integration tests are left out: they start the same
   * server directory that dev mode runs.
   */
  private static Process startDevMode(Map<String, String> serverEnvironment) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of("mvnw").toAbsolutePath().toString(), "liberty:dev", "-DskipITs=true")
            .inheritIO();
    builder.environment().putAll(serverEnvironment);
    builder.environment().put("LOG_FORMAT", "simple");
    System.out.println(
        "Starting Liberty dev mode (./mvnw liberty:dev): http://localhost:9080/health/ready once"
            + " ready; Enter runs the unit tests; Ctrl-C stops it and the stack.");
    return builder.start();
  }

  private static void awaitExit(Process process) {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stand-ins answer for the sample application 101, authentication 202, source 55. */
  private static void serveSamples(Stack stack) {
    JsonObject authentication = stack.samples.object("sources-authentication-internal.json");
    String arn = authentication.getString("username");
    String externalId = authentication.getJsonObject("extra").getString("external_id");
    String orgId =
        stack.samples.object("event-applicationauthentication-create.json").getString("key");
    stack.sources.application(orgId, 101, 55, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.authentication(orgId, 202, AuthenticationSpec.arn(arn, externalId, 101));
    stack.sts.trusts(arn, externalId);
  }

  private static void sendSampleAndShowStatus(Stack stack) {
    JsonObject sample = stack.samples.object("event-applicationauthentication-create.json");
    Map<String, String> headers = new LinkedHashMap<>();
    sample
        .getJsonObject("headers")
        .forEach((name, value) -> headers.put(name, ((JsonString) value).getString()));
    long sent = System.nanoTime();
    try (Events events = new Events(stack.kafka.bootstrapServers())) {
      events.send(sample.getString("key"), headers, sample.getJsonObject("value").toString());
    }
    System.out.println("Sent the sample ApplicationAuthentication.create for application 101.");
    await().atMost(Duration.ofSeconds(60)).until(() -> !stack.ledger.statusesFor(101).isEmpty());
    var status = stack.ledger.statusesFor(101).get(0);
    System.out.printf(
        "Status on %s after %d ms:%n  key=%s headers=%s%n  %s%n",
        status.topic(),
        (System.nanoTime() - sent) / 1_000_000,
        status.key(),
        headerText(status),
        status.value());
    System.out.println(
        "RHSM registrations received: " + stack.rhsm.registrations(sample.getString("key")).size());
  }

  private static String headerText(
      org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    record
        .headers()
        .forEach(
            h ->
                headers.put(
                    h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
    return headers.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
