package com.redhat.cloudoreg.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * CPU counters of some processes, sampled every {@link #PERIOD_MS} from before a server starts, so
 * that the CPU used between two instants known only afterwards (the first and the last status of a
 * drain, which may come before readiness is seen) can be read off the samples around them.
 */
final class CpuSampler implements AutoCloseable {
  static final long PERIOD_MS = 20;

  /** One sample: wall-clock millis and the CPU millis of each process, in the order given. */
  record Sample(long at, long[] cpu) {}

  private final List<LongSupplier> processes;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Thread sampler;
  private volatile boolean running = true;

  CpuSampler(List<LongSupplier> processes) {
    this.processes = List.copyOf(processes);
    sample();
    sampler = new Thread(this::run, "cpu-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void run() {
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  private void sample() {
    try {
      long[] cpu = processes.stream().mapToLong(LongSupplier::getAsLong).toArray();
      samples.add(new Sample(System.currentTimeMillis(), cpu));
    } catch (RuntimeException unreadable) {
      // a process not readable at this instant (starting, ending): a sample fewer, not a dead
      // sampler; usedBetween says so if the window's end is then missing
    }
  }

  /**
   * CPU millis each process used from the last sample at or before {@code from} to the first at or
   * after {@code to}: the window holds the interval, so the figure errs by at most a period's worth
   * on either side, never by missing the start of the work.
   */
  long[] usedBetween(long from, long to) throws InterruptedException {
    // the window may have closed an instant ago, before the sampler's next turn
    long deadline = System.currentTimeMillis() + 50 * PERIOD_MS;
    while (!sampledSince(to) && System.currentTimeMillis() < deadline) {
      TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
    }
    Sample start;
    Sample end = null;
    synchronized (samples) {
      start = samples.get(0);
      for (Sample sample : samples) {
        if (sample.at() <= from) {
          start = sample;
        }
        if (sample.at() >= to) {
          end = sample;
          break;
        }
      }
    }
    if (end == null) {
      throw new IllegalStateException("no CPU sample at or after the window's end");
    }
    long[] used = new long[processes.size()];
    for (int i = 0; i < used.length; i++) {
      used[i] = end.cpu()[i] - start.cpu()[i];
    }
    return used;
  }

  private boolean sampledSince(long at) {
    synchronized (samples) {
      return !samples.isEmpty() && samples.get(samples.size() - 1).at() >= at;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    sampler.interrupt();
    sampler.join(1000);
    sample();
  }
}
