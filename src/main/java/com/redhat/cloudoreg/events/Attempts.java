package com.redhat.cloudoreg.events;

import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Runs a step of an event's processing until it is settled. Each attempt holds one of the {@code
 * CLOUDOREG_MAX_IN_FLIGHT} processing slots while it runs, and none while it waits for the next: a
 * step that waits for a peer to come back (a removal RHSM must confirm) never keeps other tenants'
 * events from being served. The wait between attempts is scheduled by MP Fault Tolerance (no thread
 * sleeps); there is no end to the attempts, since giving up would lose the step.
 */
@ApplicationScoped
public class Attempts {
  private final InFlightLimit limit;
  private final ConsumerActivity activity;
  private final Executor executor;

  @Inject
  public Attempts(InFlightLimit limit, ConsumerActivity activity, Executor executor) {
    this.limit = limit;
    this.activity = activity;
    this.executor = executor;
  }

  protected Attempts() {
    this(null, null, null);
  }

  /** Completes when {@code step} completed normally; an {@link Unsettled} step is tried again. */
  @Asynchronous
  @Retry(
      maxRetries = -1,
      maxDuration = 0,
      delay = Policy.UNSETTLED_RETRY_DELAY_MS,
      jitter = Policy.UNSETTLED_RETRY_JITTER_MS,
      retryOn = Unsettled.class)
  public CompletionStage<Void> untilSettled(Supplier<CompletionStage<Void>> step) {
    return once(step);
  }

  /**
   * One attempt in a processing slot; counted as running while it runs. Its stage fails with the
   * step's own exception, unwrapped, so that {@code retryOn} can match it.
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
