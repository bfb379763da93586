package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsClientProducer;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.stack.Ports;
import com.redhat.cloudoreg.stack.StsStub;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * What one AWS verification costs through each AWS SDK HTTP client on the test classpath: a
 * program, not a test. For each client a JVM of its own (the server's {@code jvm.options}, the STS
 * client built as {@link StsClientProducer} builds it, credentials and endpoint from the
 * environment as in production) runs {@link StsVerifier#verify} against a local {@link StsStub}
 * (which checks every signature), first a warm-up, then the measured verifications one after the
 * other. Per verification: that JVM's CPU (every thread, native ones too: an HTTP client may do its
 * I/O on threads of its own), the calling thread's CPU, and wall time. The clients take turns,
 * round after round, so a busy moment of the machine does not fall on one client alone.
 *
 * <pre>
 * ./mvnw -B -Plocal-stack,sts-clients package \
 *   -Dstack.main=com.redhat.cloudoreg.bench.StsClientCost
 * </pre>
 *
 * Sizes: {@code bench.sts.verifications} (2000), {@code bench.sts.warmup} (2000), {@code
 * bench.sts.rounds} (3); {@code bench.sts.jvm.args} adds JVM options (a flight recording, say).
 * Without the {@code sts-clients} profile (url-connection, aws-crt) only the service's own client,
 * Apache's, is measured.
 */
public final class StsClientCost {
  private static final String CHILD = "--measure";
  private static final String RESULT = "RESULT";
  private static final String ACCOUNT = "480126387441";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/redhat-cloud-meter";
  private static final String EXTERNAL_ID = "5d0e1c7a-93b2-4f6e-8a41-2c97f1b06e55";

  /** As the server's default {@code CLOUDOREG_STS_CALL_TIMEOUT_MS}. */
  private static final Duration TIMEOUT = Duration.ofMillis(4000);

  private StsClientCost() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(CHILD)) {
      measure(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int verifications = Integer.getInteger("bench.sts.verifications", 2000);
    int warmUp = Integer.getInteger("bench.sts.warmup", 2000);
    int rounds = Integer.getInteger("bench.sts.rounds", 3);
    Path dependencies = Path.of(System.getProperty("cloudoreg.test.classpath")).toAbsolutePath();
    Path target = dependencies.getParent();
    String classpath =
        String.join(
            File.pathSeparator,
            target.resolve("test-classes").toString(),
            target.resolve("classes").toString(),
            Files.readString(dependencies).trim());
    List<String> jvmOptions =
        Files.readAllLines(target.resolveSibling("src/main/liberty/config/jvm.options")).stream()
            .map(String::trim)
            .filter(line -> line.startsWith("-"))
            .toList();
    List<String> clients =
        ServiceLoader.load(SdkHttpService.class).stream()
            .map(provider -> provider.type().getName())
            .sorted()
            .toList();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Map<String, List<Result>> results = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    try (StsStub sts = new StsStub(Ports.free())) {
      sts.trusts(ROLE, EXTERNAL_ID);
      for (int round = 1; round <= rounds; round++) {
        for (String client : clients) {
          if (failures.containsKey(client)) {
            continue;
          }
          Child child = run(classpath, jvmOptions, sts.url(), client, verifications, warmUp);
          child
              .result()
              .ifPresentOrElse(
                  result -> results.computeIfAbsent(client, c -> new ArrayList<>()).add(result),
                  () -> failures.put(client, child.output()));
          System.out.printf("[sts clients] round %d %s: %s%n", round, client, child.summary());
        }
      }
      List<String> violations = sts.violations().take();
      int expected =
          results.values().stream().mapToInt(List::size).sum() * (warmUp + verifications);
      System.out.println(
          report(
              results,
              failures,
              verifications,
              warmUp,
              loadAtStart,
              ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
              jvmOptions));
      System.out.printf(
          "STS stand-in: %d requests (expected at least %d: one per verification), violations %s%n",
          sts.requestCount(), expected, violations);
    }
  }

  /** One client's JVM: its warm-up and measured verifications, then one {@value #RESULT} line. */
  private static void measure(String service, int verifications, int warmUp) throws Exception {
    SdkHttpService http =
        (SdkHttpService) Class.forName(service).getDeclaredConstructor().newInstance();
    AttributeMap timeouts =
        AttributeMap.builder()
            .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, TIMEOUT)
            .put(SdkHttpConfigurationOption.READ_TIMEOUT, TIMEOUT)
            .build();
    try (StsClient client =
        StsClientProducer.build(
            Region.of(System.getenv("AWS_REGION")), TIMEOUT, new WithTimeouts(http, timeouts))) {
      StsVerifier verifier = new StsVerifier(client, Guard.none());
      RoleArn role = RoleArn.parse(ROLE);
      Optional<String> externalId = Optional.of(EXTERNAL_ID);
      for (int i = 0; i < warmUp; i++) {
        verifier.verify(role, externalId, false);
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long process = os.getProcessCpuTime();
      long thread = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      for (int i = 0; i < verifications; i++) {
        verifier.verify(role, externalId, false);
      }
      wall = System.nanoTime() - wall;
      thread = threads.getCurrentThreadCpuTime() - thread;
      process = os.getProcessCpuTime() - process;
      System.out.printf(
          "%s %d %d %d %d%n",
          RESULT,
          process / verifications,
          thread / verifications,
          wall / verifications,
          threads.getThreadCount());
    }
  }

  /** The client's builder, with our timeouts over the SDK's defaults, as the producer sets them. */
  private record WithTimeouts(SdkHttpService service, AttributeMap timeouts)
      implements SdkHttpClient.Builder<WithTimeouts> {
    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      return service.createHttpClientBuilder().buildWithDefaults(timeouts.merge(serviceDefaults));
    }
  }

  /** Per verification, in ns; and the JVM's threads at the end. */
  private record Result(long processCpu, long threadCpu, long wall, int threads) {}

  private record Child(Optional<Result> result, String output, int exitCode) {
    String summary() {
      return result
          .map(
              r ->
                  String.format(
                      "process CPU %d µs, thread CPU %d µs, wall %d µs per verification, %d threads",
                      r.processCpu() / 1000, r.threadCpu() / 1000, r.wall() / 1000, r.threads()))
          .orElse("failed (exit " + exitCode + "): " + lastLines(output));
    }
  }

  private static Child run(
      String classpath,
      List<String> jvmOptions,
      String stsUrl,
      String client,
      int verifications,
      int warmUp)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(extraJvmOptions());
    command.addAll(
        List.of(
            "-cp",
            classpath,
            StsClientCost.class.getName(),
            CHILD,
            client,
            Integer.toString(verifications),
            Integer.toString(warmUp)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ENDPOINT_URL_STS", stsUrl);
    builder.environment().put("AWS_REGION", StsStub.REGION);
    builder.environment().put("AWS_ACCESS_KEY_ID", StsStub.SERVICE_ACCESS_KEY_ID);
    builder.environment().put("AWS_SECRET_ACCESS_KEY", StsStub.SERVICE_SECRET_ACCESS_KEY);
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      out.lines().forEach(lines::add);
    }
    int exit = process.waitFor();
    Optional<Result> result =
        lines.stream()
            .filter(line -> line.startsWith(RESULT + " "))
            .map(line -> line.split(" "))
            .map(
                f ->
                    new Result(
                        Long.parseLong(f[1]),
                        Long.parseLong(f[2]),
                        Long.parseLong(f[3]),
                        Integer.parseInt(f[4])))
            .findFirst()
            .filter(r -> exit == 0);
    return new Child(result, String.join("\n", lines), exit);
  }

  /**
   * {@code bench.sts.jvm.args}: options added to each client's JVM after the server's, such as a
   * flight recording of where a verification's CPU goes.
   */
  private static List<String> extraJvmOptions() {
    String extra = System.getProperty("bench.sts.jvm.args", "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  private static String report(
      Map<String, List<Result>> results,
      Map<String, String> failures,
      int verifications,
      int warmUp,
      double loadAtStart,
      double loadAtEnd,
      List<String> jvmOptions) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "%nSTS verification per HTTP client — shared machine (other builds ran beside it):"
                + " %d cores, load %.2f at start, %.2f at end; %s %s%n",
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            loadAtEnd,
            System.getProperty("java.vm.name"),
            System.getProperty("java.version")));
    text.append(
        String.format(
            "%d sequential verifications after %d of warm-up, per round; JVM: %s%n",
            verifications, warmUp, String.join(" ", jvmOptions)));
    text.append(
        "| client | process CPU µs/verification (median, min–max of rounds) | calling thread CPU"
            + " µs | wall µs | threads |\n|---|---|---|---|---|\n");
    results.forEach(
        (client, rounds) ->
            text.append(
                String.format(
                    "| %s | %s | %s | %s | %d |%n",
                    client.substring(client.lastIndexOf('.') + 1),
                    spread(rounds.stream().map(Result::processCpu).toList()),
                    spread(rounds.stream().map(Result::threadCpu).toList()),
                    spread(rounds.stream().map(Result::wall).toList()),
                    rounds.get(rounds.size() - 1).threads())));
    failures.forEach(
        (client, output) ->
            text.append(String.format("| %s | failed: %s | | | |%n", client, lastLines(output))));
    return text.toString();
  }

  /** Median and range of per-round figures, ns in, µs out. */
  private static String spread(List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return String.format(
        "%d (%d–%d)",
        sorted.get(sorted.size() / 2) / 1000,
        sorted.get(0) / 1000,
        sorted.get(sorted.size() - 1) / 1000);
  }

  private static String lastLines(String output) {
    List<String> lines = output.lines().toList();
    return lines.subList(Math.max(0, lines.size() - 3), lines.size()).stream()
        .collect(Collectors.joining(" / "));
  }
}
