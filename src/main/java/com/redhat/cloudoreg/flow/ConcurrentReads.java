package com.redhat.cloudoreg.flow;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A read the flow makes beside another, on threads of its own: a pool apart from the flow's
 * executor, whose tasks are single peer reads that wait on nothing of ours — so a flow thread that
 * waits for one can never wait for a thread of its own pool (the starvation an earlier version met
 * when both shared Liberty's executor). The threads come from the container's thread factory, so
 * CDI, MP Fault Tolerance and the REST clients behave on them as on any container thread. One per
 * event in flight ({@code CLOUDOREG_MAX_IN_FLIGHT}) at most.
 */
@ApplicationScoped
public class ConcurrentReads {
  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  private ManagedThreadFactory threads;

  private final int size;
  private ExecutorService pool;

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

  @PostConstruct
  void startPool() {
    pool = Executors.newFixedThreadPool(size, threads);
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
