package com.redhat.cloudoreg.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod's memory request and limit, computed from what the benchmark measured
 * (docs/benchmarks.md, "The pod's memory"):
 *
 * <pre>
 *   ceiling = RSS after forced GC (highest sample of both rounds)
 *             + (-Xmx - heap committed after that GC)
 *   request = ceiling, rounded up to a multiple of 32 MiB
 *   limit   = ceiling x 1.25, rounded up to a multiple of 64 MiB
 * </pre>
 *
 * <p>The ceiling is the service's RSS with the heap grown to its bound and everything else as
 * measured: under load the serial collector lets the heap grow to {@code -Xmx} before a full GC
 * gives it back, so the RSS after a forced GC alone is what an idle pod holds, not a busy one. The
 * request is that ceiling: what a busy pod holds, reserved on its node. The limit adds a quarter
 * for what no JVM flag bounds and the benchmark saw grow (native memory: +10 to 14 MiB between two
 * rounds of 10,000 events with heap and metaspace flat; thread stacks in a burst; glibc arenas), so
 * that only a leak reaches it; a limit at the bare ceiling would OOM-kill a pod on the first such
 * growth.
 *
 * @param ceilingMiB RSS with the heap at its bound, MiB
 * @param requestMiB the ClowdApp's memory request, MiB
 * @param limitMiB the ClowdApp's memory limit, MiB
 */
public record MemorySizing(long ceilingMiB, long requestMiB, long limitMiB) {
  private static final Pattern MAX_HEAP =
      Pattern.compile("(?:^|\\s)-Xmx(\\d+)([kKmMgG]?)(?=\\s|$)");

  /** How one memory round reads in the report the benchmark writes. */
  private static final Pattern ROUND =
      Pattern.compile(
          "RSS min \\d+ / median \\d+ / max (\\d+) MiB; after GC: heap used \\d+ MiB of (\\d+)"
              + " committed");

  /** A round's figures: the highest RSS after forced GC, and the heap committed after it. */
  public record Round(long rssMaxMiB, long heapCommittedMiB) {}

  /** From the rounds' figures and the service's {@code -Xmx}. */
  public static MemorySizing of(List<Round> rounds, long maxHeapMiB) {
    Round highest =
        rounds.stream()
            .max(java.util.Comparator.comparingLong(Round::rssMaxMiB))
            .orElseThrow(() -> new IllegalArgumentException("no memory round"));
    long ceiling = highest.rssMaxMiB() + Math.max(0, maxHeapMiB - highest.heapCommittedMiB());
    return new MemorySizing(ceiling, roundUp(ceiling, 32), roundUp((ceiling * 5 + 3) / 4, 64));
  }

  /**
   * From a report the benchmark wrote ({@code docs/benchmark-report.md}): its memory rounds, and
   * the {@code -Xmx} of its service JVM line (the last one there wins, as on a command line).
   */
  public static MemorySizing fromReport(String report) {
    List<Round> rounds =
        report
            .lines()
            .filter(line -> line.startsWith("| memory after"))
            .map(ROUND::matcher)
            .filter(Matcher::find)
            .map(m -> new Round(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
            .toList();
    String jvm =
        report
            .lines()
            .filter(line -> line.startsWith("- service JVM:"))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service JVM line in the report"));
    return of(rounds, maxHeapMiB(jvm.replace('`', ' ')));
  }

  /** The last {@code -Xmx} among JVM options, in MiB. */
  public static long maxHeapMiB(String jvmOptions) {
    Matcher matcher = MAX_HEAP.matcher(jvmOptions);
    long mib = -1;
    while (matcher.find()) {
      long value = Long.parseLong(matcher.group(1));
      mib =
          switch (matcher.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "g" -> value << 10;
            case "m" -> value;
            case "k" -> value >> 10;
            default -> value >> 20;
          };
    }
    if (mib < 0) {
      throw new IllegalArgumentException("no -Xmx in " + jvmOptions);
    }
    return mib;
  }

  /** As Kubernetes quantities, e.g. {@code 416Mi}. */
  public String request() {
    return requestMiB + "Mi";
  }

  public String limit() {
    return limitMiB + "Mi";
  }

  private static long roundUp(long mib, long step) {
    return (mib + step - 1) / step * step;
  }
}
