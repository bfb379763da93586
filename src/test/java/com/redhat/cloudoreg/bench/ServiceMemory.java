package com.redhat.cloudoreg.bench;

import com.redhat.cloudoreg.stack.LibertyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service JVM's memory as the benchmarks report it: RSS from {@code /proc} after forced full
 * GCs ({@code jcmd <pid> GC.run}), with what the JVM says of its heap then. RSS without a GC before
 * it would measure when the collector last ran, not what the service keeps.
 */
final class ServiceMemory {
  private ServiceMemory() {}

  record Sample(
      long rssMin,
      long rssMedian,
      long rssMax,
      long heapUsed,
      long heapCommitted,
      long metaspace,
      long fileBackedMiB,
      long threads) {}

  /** RSS after a full GC, several times over, and what the JVM says of its heap then. */
  static Sample afterGc(LibertyServer server, int samples)
      throws IOException, InterruptedException {
    List<Long> rss = new ArrayList<>();
    String heapInfo = "";
    for (int i = 0; i < samples; i++) {
      jcmd(server, "GC.run");
      TimeUnit.SECONDS.sleep(1);
      rss.add(rssMiB(server));
      heapInfo = jcmd(server, "GC.heap_info");
    }
    List<Long> sorted = rss.stream().sorted().toList();
    return new Sample(
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        heapMiB(server, "memory_usedHeap_bytes"),
        heapMiB(server, "memory_committedHeap_bytes"),
        kib(heapInfo, "Metaspace\\s+used (\\d+)K") >> 10,
        procStatus(server, "RssFile") / 1024,
        procStatus(server, "Threads"));
  }

  /**
   * What the heap holds after a full GC ({@code jcmd GC.class_histogram} forces one): the {@code
   * count} classes with the most bytes, as "class MiB (instances)", and their share of the heap.
   */
  static String largestClasses(LibertyServer server, int count)
      throws IOException, InterruptedException {
    Matcher row =
        Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)")
            .matcher(jcmd(server, "GC.class_histogram"));
    List<String> largest = new ArrayList<>();
    long total = 0;
    long shown = 0;
    while (row.find()) {
      long bytes = Long.parseLong(row.group(2));
      total += bytes;
      if (largest.size() < count) {
        shown += bytes;
        largest.add(
            String.format(
                "%s %.1f MiB (%,d)",
                row.group(3), bytes / 1048576.0, Long.parseLong(row.group(1))));
      }
    }
    return String.format(
        "%s; these %d: %.0f of %.0f MiB live",
        String.join(", ", largest), largest.size(), shown / 1048576.0, total / 1048576.0);
  }

  /** The first group of {@code regex} in {@code text} as a number, or -1. */
  static long kib(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long rssMiB(LibertyServer server) {
    return procStatus(server, "VmRSS") / 1024;
  }

  /** A figure of {@code /proc/<pid>/status} (kB for sizes), or -1. */
  private static long procStatus(LibertyServer server, String field) {
    try {
      Matcher value =
          Pattern.compile(field + ":\\s+(\\d+)")
              .matcher(
                  Files.readString(Path.of("/proc", Long.toString(server.jvm().pid()), "status")));
      return value.find() ? Long.parseLong(value.group(1)) : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String jcmd(LibertyServer server, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(Long.toString(server.jvm().pid()));
    line.addAll(List.of(command));
    Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    return output;
  }

  private static long heapMiB(LibertyServer server, String metric)
      throws IOException, InterruptedException {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri("/metrics?scope=base")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher heap = Pattern.compile(metric + "\\{[^}]*\\} ([0-9.E+]+)").matcher(metrics);
    return heap.find() ? (long) Double.parseDouble(heap.group(1)) >> 20 : -1;
  }
}
