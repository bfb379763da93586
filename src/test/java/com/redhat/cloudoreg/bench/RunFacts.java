package com.redhat.cloudoreg.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a report says of the run it comes from: the machine, its load, the commit, the settings. */
final class RunFacts {
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

  static String git(String... args) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("git"));
    line.addAll(List.of(args));
    Process git = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return git.waitFor() == 0 ? output : "unknown (" + output + ")";
  }
}
