package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Holds events back until the warm-up is over. A backlog waiting at start is fetched as soon as the
 * connector joins its group, seconds before the clients, the SDK and the JSON binding are warm;
 * served then, its first flows take seconds each and compete with the start for the CPU. Waiting
 * here costs no slot of the in-flight bound and keeps each tenant's order (the lane's work waits,
 * not its submission).
 */
@ApplicationScoped
public class WarmUpGate {
  private final CompletableFuture<Void> opened = new CompletableFuture<>();

  /** The warm-up is over, however it went: events flow from now on, for good. */
  public void open() {
    opened.complete(null);
  }

  /** Completes when {@link #open} has been called. */
  public CompletionStage<Void> opened() {
    return opened;
  }
}
