package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At most {@code CLOUDOREG_MAX_IN_FLIGHT} events in processing. A slot is handed out as a stage
 * that completes when one is free; the consumer returns that stage, and Reactive Messaging delivers
 * the next event only then: backpressure on the stream, no thread blocked. (Liberty's Kafka
 * connector bounds only how far it polls ahead, not how many polled records it hands over.)
 */
@ApplicationScoped
public class InFlightLimit {
  private final int limit;
  private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int taken;

  @Inject
  public InFlightLimit(
      @ConfigProperty(name = "CLOUDOREG_MAX_IN_FLIGHT", defaultValue = "64") int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("CLOUDOREG_MAX_IN_FLIGHT must be at least 1");
    }
    this.limit = limit;
  }

  protected InFlightLimit() {
    this.limit = 1;
  }

  /** Completes once the caller holds a slot. */
  public synchronized CompletableFuture<Void> acquire() {
    if (taken < limit) {
      taken++;
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> slot = new CompletableFuture<>();
    waiting.add(slot);
    return slot;
  }

  /** Gives the slot to the next waiter, or back to the pool. */
  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        taken--;
        return;
      }
    }
    next.complete(null);
  }
}
