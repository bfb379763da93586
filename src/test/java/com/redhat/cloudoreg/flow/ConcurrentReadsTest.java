package com.redhat.cloudoreg.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.outcome.TransientFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentReadsTest {
  private final List<Thread> started = new CopyOnWriteArrayList<>();
  private final ThreadFactory recorded =
      work -> {
        Thread thread = new Thread(work, "read-" + started.size());
        started.add(thread);
        return thread;
      };
  private final CountDownLatch release = new CountDownLatch(1);
  private ConcurrentReads reads;

  @AfterEach
  void stop() {
    release.countDown();
    reads.stopPool();
  }

  @Test
  void aReadRunsBesideItsCallerOnAThreadOfThePool() {
    reads = new ConcurrentReads(2, recorded, Duration.ofSeconds(30), Duration.ofSeconds(30));

    ConcurrentReads.Pending<Thread> read = reads.start(Thread::currentThread);

    assertThat(read.get()).isNotSameAs(Thread.currentThread()).isIn(started);
  }

  @Test
  void aReadThatFindsEveryThreadBusyRunsOnItsCallersThreadWithoutWaiting() {
    reads = new ConcurrentReads(1, recorded, Duration.ofSeconds(30), Duration.ofSeconds(30));
    ConcurrentReads.Pending<String> blocked = reads.start(() -> awaitRelease("first"));

    ConcurrentReads.Pending<Thread> second = reads.start(Thread::currentThread);

    // done when start returns, while the pool's one thread is still held: no queue to wait in
    assertThat(second.read()).isCompletedWithValue(Thread.currentThread());
    assertThat(blocked.read()).isNotDone();
    release.countDown();
    assertThat(blocked.get()).isEqualTo("first");
  }

  @Test
  void thePoolsThreadsEndWhenTheyHaveBeenIdle() {
    reads = new ConcurrentReads(4, recorded, Duration.ofMillis(200), Duration.ofSeconds(30));
    List<ConcurrentReads.Pending<String>> burst =
        List.of(
            reads.start(() -> awaitRelease("a")),
            reads.start(() -> awaitRelease("b")),
            reads.start(() -> awaitRelease("c")));
    release.countDown();
    burst.forEach(ConcurrentReads.Pending::get);
    assertThat(started).hasSize(3);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(started).noneMatch(Thread::isAlive));
  }

  @Test
  void aReadThatFailsOnItsCallersThreadFailsWhenItsResultIsAskedFor() {
    reads = new ConcurrentReads(1, recorded, Duration.ofSeconds(30), Duration.ofSeconds(30));
    reads.start(() -> awaitRelease("first"));
    IllegalArgumentException refused = new IllegalArgumentException("refused");

    ConcurrentReads.Pending<String> failing =
        reads.start(
            () -> {
              throw refused;
            });

    assertThatThrownBy(failing::get).isSameAs(refused);
  }

  @Test
  void aReadStartedWhileThePoolStopsRunsOnItsCaller() {
    reads = new ConcurrentReads(2, recorded, Duration.ofSeconds(30), Duration.ofSeconds(30));
    reads.stopPool();

    assertThat(reads.start(Thread::currentThread).read())
        .isCompletedWithValue(Thread.currentThread());
  }

  @Test
  void aReadThatFindsNoThreadToBeHadRunsOnItsCaller() {
    ThreadFactory stopping =
        work -> {
          throw new IllegalStateException("the thread factory is stopped");
        };
    reads = new ConcurrentReads(2, stopping, Duration.ofSeconds(30), Duration.ofSeconds(30));

    assertThat(reads.start(Thread::currentThread).read())
        .isCompletedWithValue(Thread.currentThread());
  }

  @Test
  void aReadItsThreadNeverRanIsWaitedForNoLongerThanTheLongestRead() {
    // a container thread that dies before its first task (the application stopping under it)
    ThreadFactory losing = work -> new Thread(() -> {});
    reads = new ConcurrentReads(2, losing, Duration.ofSeconds(30), Duration.ofMillis(300));

    ConcurrentReads.Pending<String> lost = reads.start(() -> "never");

    assertThatThrownBy(lost::get)
        .isInstanceOf(TransientFailure.class)
        .hasMessageContaining("did not end within");
  }

  private String awaitRelease(String value) {
    try {
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
