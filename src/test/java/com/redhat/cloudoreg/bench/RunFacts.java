package com.redhat.cloudoreg.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What a report says of the run it comes from: the machine, its load, the commit, the settings. */
final class RunFacts {
  /** A Java main class among a command's arguments. */
  private static final Pattern MAIN_CLASS = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_$]+)+");

  private RunFacts() {}

  /** Cores, memory and Java of this machine. */
  static String machine() {
    return String.format(
        "%d cores, %d MiB, Java %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize()
            >> 20,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  /** The commit as Markdown, and whether the tree had changes. */
  static String commit() throws IOException, InterruptedException {
    String dirty = git("status", "--porcelain");
    return "`"
        + git("rev-parse", "HEAD")
        + "`"
        + (dirty.isEmpty()
            ? " (clean)"
            : " (**dirty**: " + dirty.lines().count() + " changed files)");
  }

  /**
   * A report's first lines: its title, the program that wrote it and what it says of itself ({@code
   * aside}, may be empty), the date and the commit.
   */
  static String opening(String title, Class<?> program, String aside)
      throws IOException, InterruptedException {
    return "# "
        + title
        + "\n\nWritten by `"
        + program.getName()
        + "` as it ran; not edited."
        + aside
        + "\n\n- date: "
        + Instant.now()
        + "\n- commit: "
        + commit()
        + "\n";
  }

  /**
   * The server directory the build made: the service's {@code jvm.options} and {@code server.env}.
   */
  static Path serverConfig() {
    return Path.of(System.getProperty("cloudoreg.wlp.dir"), "usr", "servers")
        .resolve(System.getProperty("cloudoreg.server.name"));
  }

  /**
   * A report's line on the service's JVM: the server's own {@code jvm.options} and {@code
   * server.env}.
   */
  static String serviceJvm() throws IOException {
    return "- service JVM: server `jvm.options`: `"
        + settings(serverConfig().resolve("jvm.options"))
        + "`; server `server.env`: `"
        + settings(serverConfig().resolve("server.env"))
        + "`\n";
  }

  /** A settings file's lines without comments, on one line, or "(none)". */
  static String settings(Path file) throws IOException {
    return Files.exists(file)
        ? String.join(
            " ",
            Files.readAllLines(file).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList())
        : "(none)";
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The Java processes on the machine that are not this run's (this JVM, its ancestors, its
   * children): builds and tests beside the run, whose CPU its figures share. Each as its pid, its
   * main class and its working directory (which checkout it builds).
   */
  static String otherJavaProcesses() {
    Set<Long> ours = new HashSet<>();
    ProcessHandle self = ProcessHandle.current();
    ours.add(self.pid());
    self.descendants().forEach(child -> ours.add(child.pid()));
    for (Optional<ProcessHandle> up = self.parent(); up.isPresent(); up = up.get().parent()) {
      ours.add(up.get().pid());
    }
    List<String> others =
        ProcessHandle.allProcesses()
            .filter(process -> !ours.contains(process.pid()))
            .filter(process -> process.info().command().orElse("").endsWith("/java"))
            .map(
                process ->
                    String.format(
                        "%d %s in %s",
                        process.pid(),
                        Arrays.stream(process.info().arguments().orElse(new String[0]))
                            .filter(argument -> MAIN_CLASS.matcher(argument).matches())
                            .findFirst()
                            .orElse("?"),
                        workingDirectory(process)))
            .toList();
    return others.isEmpty() ? "none" : others.size() + ": " + String.join("; ", others);
  }

  private static String workingDirectory(ProcessHandle process) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"))
          .toString();
    } catch (IOException | SecurityException unreadable) {
      return "?";
    }
  }

  static String git(String... args) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("git"));
    line.addAll(List.of(args));
    Process git = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return git.waitFor() == 0 ? output : "unknown (" + output + ")";
  }
}
