package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * read that finds no idle thread with the pool at its maximum, or no thread to be had (the
 * container stopping), runs on the caller's own thread, before the caller's other read: the two in
 * series, never waiting on the pool. A read whose thread never ran it (a container thread that
 * could not take on the application's context while it stops) is waited for no longer than a peer
 * call's whole retry budget, then counts as a read that could not be made now.
 */
@ApplicationScoped
public class ConcurrentReads {
  /** How long a read thread waits for another read before it ends. */
  static final Duration IDLE = Duration.ofSeconds(5);

  /** The longest a read can take: its peer call's retries and its last attempt. */
  static final Duration LONGEST_READ =
      Duration.ofMillis(Policy.PEER_RETRY_BUDGET_MS + Policy.PEER_CALL_TIMEOUT_MS);

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  private ManagedThreadFactory threads;

  private final int size;
  private final Duration longestRead;
  private ThreadPoolExecutor pool;

  @Inject
  public ConcurrentReads(
      @ConfigProperty(name = "CLOUDOREG_MAX_IN_FLIGHT", defaultValue = "64") int size) {
    this(size, LONGEST_READ);
  }

  private ConcurrentReads(int size, Duration longestRead) {
    this.size = size;
    this.longestRead = longestRead;
  }

  protected ConcurrentReads() {
    this(1);
  }

  /**
   * Reads on the caller's own thread, for the flow in process without a container: a pool that
   * never gets a thread runs every read on its caller.
   */
  static ConcurrentReads inline() {
    return new ConcurrentReads(1, noThread -> null, IDLE, LONGEST_READ);
  }

  /** With a pool of its own threads: for tests of the pool itself. */
  ConcurrentReads(int size, ThreadFactory threads, Duration idle, Duration longestRead) {
    this(size, longestRead);
    this.pool = pool(size, threads, idle);
  }

  @PostConstruct
  void startPool() {
    pool = pool(size, threads, IDLE);
  }

  private static ThreadPoolExecutor pool(int size, ThreadFactory threads, Duration idle) {
    // no queue: a read either gets a thread now or runs on the caller's (even after shutdown, when
    // the JDK's CallerRunsPolicy would drop it and leave its caller waiting forever)
    ThreadFactory orNone =
        work -> {
          try {
            return threads.newThread(work);
          } catch (IllegalStateException stopping) {
            return null; // no thread: the read is refused, and so runs on its caller
          }
        };
    return new ThreadPoolExecutor(
        0,
        size,
        idle.toMillis(),
        TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(),
        orNone,
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
    return new Pending<>(CompletableFuture.supplyAsync(read, pool), longestRead);
  }

  /** A read under way. */
  public record Pending<T>(CompletableFuture<T> read, Duration longestRead) {
    /** Its result, or the very failure the read threw (a peer's, or a bug). */
    public T get() {
      try {
        return read.get(longestRead.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException failed) {
        if (failed.getCause() instanceof RuntimeException thrown) {
          throw thrown;
        }
        if (failed.getCause() instanceof Error thrown) {
          throw thrown;
        }
        throw new IllegalStateException(failed.getCause());
      } catch (TimeoutException lost) {
        throw new TransientFailure("a read did not end within " + longestRead);
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
        throw new TransientFailure("interrupted while waiting for a read", stopping);
      }
    }
  }
}
