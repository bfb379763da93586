package com.redhat.cloudoreg.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantLanesTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final TenantLanes lanes = new TenantLanes(executor);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void oneTenantsWorkRunsInOrderAndAnotherTenantsRunsMeanwhile() {
    CompletableFuture<Void> firstOfA = new CompletableFuture<>();
    List<String> ran = new CopyOnWriteArrayList<>();

    var a1 =
        lanes.submit(
            "key:a",
            () -> {
              ran.add("a1");
              return firstOfA;
            });
    var a2 =
        lanes.submit(
            "key:a",
            () -> {
              ran.add("a2");
              return CompletableFuture.completedFuture(null);
            });
    var b1 =
        lanes.submit(
            "key:b",
            () -> {
              ran.add("b1");
              return CompletableFuture.completedFuture(null);
            });

    b1.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    // a1 runs on the lanes' executor too: wait for the very thing asserted, not for b1 alone
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> ran.contains("a1"));
    assertThat(ran).as("b ran while a's first work was unfinished").contains("a1", "b1");
    assertThat(ran).doesNotContain("a2");
    assertThat(a2).isNotDone();

    firstOfA.complete(null);
    a2.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(ran.indexOf("a2")).isGreaterThan(ran.indexOf("a1"));
    assertThat(a1).isDone();
  }

  @Test
  void aFailedWorkDoesNotStopItsLane() {
    var failed =
        lanes.submit("key:a", () -> CompletableFuture.failedFuture(new IllegalStateException()));
    var next = lanes.submit("key:a", () -> CompletableFuture.completedFuture(null));

    next.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(failed).isCompletedExceptionally();
  }
}
