package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A process the stack starts, with its output in a file and a bounded wait for readiness. */
final class ChildProcess {
  private final Process process;
  private final Path output;

  private ChildProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static ChildProcess start(List<String> command, Map<String, String> environment, Path output) {
    try {
      Files.createDirectories(output.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
      builder.environment().putAll(environment);
      return new ChildProcess(builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code ready} holds; fails with the process's output when it dies or times out, and
   * then ends it: a process left running would hold its ports and lock for the next run.
   */
  void awaitReady(String what, Duration limit, BooleanSupplier ready) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            what + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    stop(true, Duration.ofSeconds(30));
    throw new IllegalStateException(what + " not ready within " + limit + ":\n" + tail());
  }

  /** Waits for a one-shot command; fails with its output unless it exits with 0. */
  void awaitExit(String what, Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(what + " did not finish within " + limit + ":\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          what + " failed with " + process.exitValue() + ":\n" + tail());
    }
  }

  /** The Java process this command started, itself or the deepest of its descendants. */
  ProcessHandle jvm() {
    return process
        .descendants()
        .filter(child -> child.info().command().orElse("").endsWith("java"))
        .reduce((first, last) -> last)
        .orElse(process.toHandle());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Ends the process and its children: politely, or with SIGKILL when {@code forcibly}. */
  void stop(boolean forcibly, Duration grace) {
    process.descendants().forEach(child -> destroy(child, forcibly));
    destroy(process.toHandle(), forcibly);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void destroy(ProcessHandle handle, boolean forcibly) {
    if (forcibly) {
      handle.destroyForcibly();
    } else {
      handle.destroy();
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(output);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
