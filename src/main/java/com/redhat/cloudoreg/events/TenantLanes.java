package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs work of different tenants concurrently and work of one tenant strictly in the order it was
 * submitted: each tenant's lane starts its next piece of work only when the previous one (its
 * status delivered, included) has finished. A lane exists only while it has work, so idle tenants
 * cost nothing. How much runs at once is bounded by the caller (Kafka's unacknowledged limit).
 */
@ApplicationScoped
public class TenantLanes {
  private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final Executor executor;

  @Inject
  public TenantLanes(Executor executor) {
    this.executor = executor;
  }

  protected TenantLanes() {
    this(null);
  }

  /** The lane of a tenant's events, as Sources keys them (by org id). */
  public static String ofTenant(String orgId) {
    return "key:" + orgId;
  }

  /** Completes when {@code work} has run, after all work submitted before it in that lane. */
  public CompletableFuture<Void> submit(String lane, Supplier<CompletionStage<Void>> work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(lane, done);
    CompletableFuture<Void> turn =
        previous == null
            ? CompletableFuture.completedFuture(null)
            : previous.handle((r, t) -> null);
    // the outcome reaches the caller through done; the chain's own future adds nothing to it
    var unused =
        turn.thenComposeAsync(ready -> work.get(), executor)
            .whenComplete(
                (result, failure) -> {
                  tails.remove(lane, done);
                  if (failure == null) {
                    done.complete(null);
                  } else {
                    done.completeExceptionally(failure);
                  }
                });
    return done;
  }
}
