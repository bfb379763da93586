package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged cloudoreg WAR on the real Open Liberty server that the build created ({@code
 * liberty:create} and {@code liberty:deploy}), run as {@code server run} with its configuration in
 * environment variables, exactly as a container would run it.
 */
public final class LibertyServer implements AutoCloseable {
  /**
   * A {@code -javaagent:} option for every server JVM the tests start, e.g. JaCoCo's (the build
   * sets it when it measures coverage).
   */
  private static final String JAVAAGENT_PROPERTY = "cloudoreg.server.javaagent";

  private final Path wlp;
  private final String serverName;
  private final Map<String, String> environment;
  private final int httpPort;
  private final int metricsPort = Ports.free();
  private final int privatePort = Ports.free();
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile ChildProcess process;

  public LibertyServer(Path wlp, String serverName, Map<String, String> environment, int httpPort) {
    this.wlp = wlp;
    this.serverName = serverName;
    this.httpPort = httpPort;
    this.environment = new HashMap<>(environment);
    this.environment.put("HTTP_PORT", Integer.toString(httpPort));
    this.environment.put("METRICS_PORT", Integer.toString(metricsPort));
    this.environment.put("PRIVATE_PORT", Integer.toString(privatePort));
    javaagent()
        .ifPresent(
            agent -> this.environment.merge("JVM_ARGS", agent, (args, more) -> args + " " + more));
  }

  /** The agent option, when the build gave one (an unset Maven property arrives as "${...}"). */
  private static java.util.Optional<String> javaagent() {
    return java.util.Optional.ofNullable(System.getProperty(JAVAAGENT_PROPERTY))
        .map(String::trim)
        .filter(option -> option.startsWith("-javaagent:"));
  }

  /**
   * Another server of the same installation, with the configuration and WAR the build deployed to
   * {@code serverName}: a second deployment, e.g. one configured as Clowder configures it.
   */
  public static Path copyServer(Path wlp, String serverName, String copyName) {
    Path servers = wlp.resolve("usr/servers");
    Path from = servers.resolve(serverName);
    Path to = servers.resolve(copyName);
    Directories.recreate(to);
    try (var paths = java.nio.file.Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path relative = from.relativize(path);
        if (relative.startsWith("logs") || relative.startsWith("workarea")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (java.nio.file.Files.isDirectory(path)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return to;
  }

  /** Starts the server and waits until its readiness probe answers UP. */
  public Duration start() {
    long started = System.nanoTime();
    process =
        ChildProcess.start(
            List.of(wlp.resolve("bin/server").toString(), "run", serverName),
            environment,
            logs().resolve("console-run.log"));
    process.awaitReady("liberty server " + serverName, Duration.ofMinutes(2), this::ready);
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * Starts the server and waits only until its health endpoint answers, ready or not: for a server
   * that must never become ready.
   */
  public void startUnready() {
    process =
        ChildProcess.start(
            List.of(wlp.resolve("bin/server").toString(), "run", serverName),
            environment,
            logs().resolve("console-run.log"));
    process.awaitReady(
        "liberty server " + serverName + " answering", Duration.ofMinutes(2), this::answers);
  }

  private boolean answers() {
    try {
      get("/health/ready");
      return true;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  /** Stops the server as a platform would: SIGTERM, then waits for it. */
  public void stop() {
    process.stop(false, Duration.ofSeconds(60));
  }

  /** Kills the server with SIGKILL: no shutdown hook, no last commit. */
  public void kill() {
    process.stop(true, Duration.ofSeconds(30));
  }

  /** Whether {@link #start} has launched the server (it may not be ready yet). */
  public boolean launched() {
    return process != null;
  }

  /** The server's JVM (the child of the {@code server run} script). */
  public ProcessHandle jvm() {
    return process.jvm();
  }

  public Path logs() {
    return wlp.resolve("usr/servers").resolve(serverName).resolve("logs");
  }

  public URI uri(String path) {
    return URI.create("http://localhost:" + httpPort + path);
  }

  /** The scrape endpoint on the metrics port, as Prometheus sees it. */
  public URI metricsUri() {
    return URI.create("http://localhost:" + metricsPort + "/metrics");
  }

  /** On the private port, where the availability check and the operator's tools answer. */
  public URI privateUri(String path) {
    return URI.create("http://localhost:" + privatePort + path);
  }

  /** On the metrics port. */
  public URI metricsUri(String path) {
    return URI.create("http://localhost:" + metricsPort + path);
  }

  /**
   * The sum of the scraped samples of metric {@code name} whose labels include every {@code
   * label="value"} given ({@code "code", "CG3100"}, …); 0 when there is none.
   */
  public double metric(String name, String... labelsAndValues) {
    List<String> wanted = new java.util.ArrayList<>();
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      wanted.add(labelsAndValues[i] + "=\"" + labelsAndValues[i + 1] + "\"");
    }
    return get(metricsUri(), Map.of())
        .body()
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> wanted.stream().allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  public HttpResponse<String> get(String path) {
    return get(uri(path), Map.of());
  }

  public HttpResponse<String> get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    headers.forEach(request::header);
    return send(request.build());
  }

  public HttpResponse<String> post(String path, String json, Map<String, String> headers) {
    return post(uri(path), json, headers);
  }

  /** On the private port. */
  public HttpResponse<String> postPrivate(String path, String json, Map<String, String> headers) {
    return post(privateUri(path), json, headers);
  }

  public HttpResponse<String> post(URI uri, String json, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    String path = request.uri().getPath();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean ready() {
    try {
      return get("/health/ready").statusCode() == 200;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
