package com.redhat.cloudoreg.flow;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A read the flow makes beside another, on threads of its own: a pool apart from the flow's
 * executor, whose tasks are single peer reads that wait on nothing of ours — so a flow thread that
 * waits for one can never wait for a thread of its own pool (the starvation an earlier version met
 * when both shared Liberty's executor). The threads come from the container's thread factory, so
 * CDI, MP Fault Tolerance and the REST clients behave on them as on any container thread. One per
 * event in flight ({@code CLOUDOREG_MAX_IN_FLIGHT}) at most, started when a read needs one and
 * ended after {@link #IDLE} without work: between bursts the pool holds no thread (each kept a
 * stack and its buffers resident: 65 more threads and +13-18 MiB of RSS when the pool was fixed). A
 * read that finds every thread busy runs on the caller's own thread, after which the caller reads
 * the other: in series, as before there was a pool, and still never waiting on one.
 */
@ApplicationScoped
public class ConcurrentReads {
  /** How long a read thread waits for another read before it ends. */
  static final Duration IDLE = Duration.ofSeconds(5);

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  private ManagedThreadFactory threads;

  private final int size;
  private ThreadPoolExecutor pool;

  @Inject
  public ConcurrentReads(
      @ConfigProperty(name = "CLOUDOREG_MAX_IN_FLIGHT", defaultValue = "64") int size) {
    this.size = size;
  }

  protected ConcurrentReads() {
    this(1);
  }

  /** Reads on the caller's own thread: for the flow in process, without a container. */
  public static ConcurrentReads inline() {
    return new ConcurrentReads(1) {
      @Override
      public <T> Pending<T> start(Supplier<T> read) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
          done.complete(read.get());
        } catch (RuntimeException failed) {
          done.completeExceptionally(failed);
        }
        return new Pending<>(done);
      }
    };
  }

  /** With a pool of its own threads: for tests of the pool itself. */
  ConcurrentReads(int size, ThreadFactory threads, Duration idle) {
    this(size);
    this.pool = pool(size, threads, idle);
  }

  @PostConstruct
  void startPool() {
    pool = pool(size, threads, IDLE);
  }

  private static ThreadPoolExecutor pool(int size, ThreadFactory threads, Duration idle) {
    // no queue: a read either gets a thread now or runs on the caller's (even after shutdown, when
    // the JDK's CallerRunsPolicy would drop it and leave its caller waiting forever)
    return new ThreadPoolExecutor(
        0,
        size,
        idle.toMillis(),
        TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(),
        threads,
        (read, full) -> read.run());
  }

  @PreDestroy
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** Starts the read at once, beside whatever the caller does next. */
  public <T> Pending<T> start(Supplier<T> read) {
    return new Pending<>(CompletableFuture.supplyAsync(read, pool));
  }

  /** A read under way. */
  public record Pending<T>(CompletableFuture<T> read) {
    /** Its result, or the very failure the read threw (a peer's, or a bug). */
    public T get() {
      try {
        return read.join();
      } catch (CompletionException failed) {
        if (failed.getCause() instanceof RuntimeException thrown) {
          throw thrown;
        }
        throw failed;
      }
    }
  }
}
