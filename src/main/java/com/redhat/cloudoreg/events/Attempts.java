package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs a step of an event's processing until it is settled. Each attempt holds one of the {@code
 * CLOUDOREG_MAX_IN_FLIGHT} processing slots while it runs, and none while it waits for the next: a
 * step that waits for a peer to come back never keeps other tenants' events from being served.
 * There is no end to the attempts, since giving up would lose the step (outcomes.md, "Ours to
 * finish"); the pause between them grows per step ({@link Backoff}) and honours a peer's {@code
 * Retry-After}. MP Fault Tolerance's {@code @Retry} waits a fixed delay and cannot read a wait from
 * the failure, so the next attempt is scheduled here on the container's scheduled executor; the
 * peer calls inside a step keep their own MP Fault Tolerance retries, timeouts and breakers.
 */
@ApplicationScoped
public class Attempts {
  private final InFlightLimit limit;
  private final ConsumerActivity activity;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;

  @Inject
  public Attempts(
      InFlightLimit limit,
      ConsumerActivity activity,
      Executor executor,
      ScheduledExecutorService scheduler,
      @ConfigProperty(name = "CLOUDOREG_RETRY_PAUSE", defaultValue = Policy.RETRY_PAUSE_FIRST)
          Duration first,
      @ConfigProperty(name = "CLOUDOREG_RETRY_PAUSE_MAX", defaultValue = Policy.RETRY_PAUSE_MAX)
          Duration max) {
    this(
        limit,
        activity,
        executor,
        scheduler,
        new Backoff(first, max, () -> ThreadLocalRandom.current().nextDouble()));
  }

  public Attempts(
      InFlightLimit limit,
      ConsumerActivity activity,
      Executor executor,
      ScheduledExecutorService scheduler,
      Backoff backoff) {
    this.limit = limit;
    this.activity = activity;
    this.executor = executor;
    this.scheduler = scheduler;
    this.backoff = backoff;
  }

  protected Attempts() {
    this(null, null, null, null, null);
  }

  /** Completes when {@code step} completed normally; an {@link Unsettled} step is tried again. */
  public CompletionStage<Void> untilSettled(Supplier<CompletionStage<Void>> step) {
    CompletableFuture<Void> settled = new CompletableFuture<>();
    attempt(step, 0, settled);
    return settled;
  }

  private void attempt(
      Supplier<CompletionStage<Void>> step, int failures, CompletableFuture<Void> settled) {
    once(step)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                settled.complete(null);
              } else if (failure instanceof Unsettled unsettled) {
                Duration pause = backoff.after(failures + 1, unsettled.notSoonerThan());
                scheduler.schedule(
                    () -> attempt(step, failures + 1, settled),
                    pause.toMillis(),
                    TimeUnit.MILLISECONDS);
              } else {
                settled.completeExceptionally(failure);
              }
            });
  }

  /**
   * One attempt in a processing slot; counted as running while it runs. Its stage fails with the
   * step's own exception, unwrapped.
   */
  public CompletionStage<Void> once(Supplier<CompletionStage<Void>> step) {
    CompletableFuture<Void> attempt = new CompletableFuture<>();
    // on our executor: a slot freed by another step is handed over on that step's thread, which
    // may be Kafka's producer callback thread
    limit
        .acquire()
        .thenRunAsync(
            () -> {
              ConsumerActivity.Running running = activity.started();
              CompletionStage<Void> done;
              try {
                done = step.get();
              } catch (RuntimeException | Error thrown) {
                done = CompletableFuture.failedFuture(thrown);
              }
              done.whenComplete(
                  (result, failure) -> {
                    running.finished();
                    limit.release();
                    if (failure == null) {
                      attempt.complete(null);
                    } else {
                      attempt.completeExceptionally(unwrap(failure));
                    }
                  });
            },
            executor);
    return attempt;
  }

  /** The failure itself, not the {@code CompletionException} a stage wraps it in. */
  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
