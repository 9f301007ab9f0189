package io.minik8s.client.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ManualTaskScheduler time = new ManualTaskScheduler();
  private final WorkQueue<String> queue = WorkQueue.<String>builder("test").scheduler(time).build();

  @Test
  void aKeyWaitingOnceIsQueuedOnce() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("a");
    assertThat(queue.len()).isEqualTo(2);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.len()).isZero();
  }

  @Test
  void keyAddedWhileProcessingIsRequeuedOnlyAfterDone() throws Exception {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    queue.add("a");
    queue.add("a");
    assertThat(queue.len()).as("not handed out while processing").isZero();
    queue.done("a");
    assertThat(queue.len()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    assertThat(queue.len()).as("processed once for the two adds").isZero();
  }

  @Test
  void doneWithoutReAddDoesNotRequeue() throws Exception {
    queue.add("a");
    queue.take();
    queue.done("a");
    assertThat(queue.len()).isZero();
  }

  @Test
  void addAfterReleasesKeysInDueOrder() throws Exception {
    queue.addAfter("c", Duration.ofSeconds(3));
    queue.addAfter("a", Duration.ofSeconds(1));
    queue.addAfter("b", Duration.ofSeconds(2));
    queue.addAfter("now", Duration.ZERO);
    assertThat(queue.take()).isEqualTo("now");
    time.advance(Duration.ofMillis(999));
    assertThat(queue.len()).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(queue.len()).isEqualTo(1);
    time.advance(Duration.ofSeconds(5));
    assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactly("a", "b", "c");
  }

  @Test
  void delayedKeyIsAddedOnceAtTheEarliestRequestedTime() throws Exception {
    queue.addAfter("a", Duration.ofSeconds(10));
    queue.addAfter("a", Duration.ofSeconds(1));
    queue.addAfter("a", Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(1));
    assertThat(queue.take()).isEqualTo("a");
    queue.done("a");
    time.advance(Duration.ofSeconds(20));
    assertThat(queue.len()).as("the later requests were merged into the first").isZero();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void rateLimitedAddsBackOffExponentiallyUntilForgotten() {
    List<Long> delaysMillis = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queue.addRateLimited("a");
      long waited = 0;
      while (queue.len() == 0) {
        time.advance(Duration.ofMillis(1));
        waited++;
      }
      delaysMillis.add(waited);
      drain();
    }
    assertThat(delaysMillis).containsExactly(5L, 10L, 20L, 40L);
    assertThat(queue.retries("a")).isEqualTo(4);
    queue.forget("a");
    assertThat(queue.retries("a")).isZero();
    queue.addRateLimited("a");
    time.advance(Duration.ofMillis(5));
    assertThat(queue.len()).isEqualTo(1);
  }

  @Test
  void defaultBackOffDoublesFrom5msAndCapsAt1000s() {
    RateLimiter<String> limiter = RateLimiter.defaultControllerRateLimiter();
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      delays.add(limiter.when("k"));
    }
    assertThat(delays.subList(0, 4)).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(20), Duration.ofMillis(40));
    assertThat(delays.get(17)).isEqualTo(Duration.ofMillis(5L << 17));
    assertThat(delays.get(18)).isEqualTo(Duration.ofSeconds(1000));
    assertThat(delays.get(39)).isEqualTo(Duration.ofSeconds(1000));
    assertThat(limiter.when("other")).as("per key").isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void tokenBucketBoundsTheOverallRate() {
    RateLimiter<String> bucket = RateLimiter.tokenBucket(2, 3, time);
    assertThat(List.of(bucket.when("a"), bucket.when("b"), bucket.when("c")))
        .containsOnly(Duration.ZERO);
    assertThat(bucket.when("d")).isEqualTo(Duration.ofMillis(500));
    assertThat(bucket.when("e")).isEqualTo(Duration.ofMillis(1000));
    time.advance(Duration.ofSeconds(10));
    assertThat(bucket.when("f")).isEqualTo(Duration.ZERO);
    RateLimiter<String> combined = RateLimiter.maxOf(RateLimiter.exponential(Duration.ofMillis(5),
        Duration.ofSeconds(1)), RateLimiter.tokenBucket(1, 1, time));
    assertThat(combined.when("x")).isEqualTo(Duration.ofMillis(5));
    assertThat(combined.when("y")).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shutDownReleasesBlockedTakersAndIgnoresLaterAdds() throws Exception {
    AtomicReference<String> taken = new AtomicReference<>("unset");
    CountDownLatch returned = new CountDownLatch(1);
    Thread taker = new Thread(() -> {
      try {
        taken.set(queue.take());
      } catch (InterruptedException e) {
        taken.set("interrupted");
      }
      returned.countDown();
    });
    taker.start();
    await().until(() -> taker.getState() == Thread.State.WAITING);
    queue.addAfter("later", Duration.ofSeconds(1));
    queue.shutDown();
    assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(taken.get()).isNull();
    queue.add("x");
    time.advance(Duration.ofSeconds(2));
    assertThat(queue.len()).isZero();
    assertThat(queue.take()).isNull();
    assertThat(queue.isShuttingDown()).isTrue();
  }

  /**
   * Many producers re-add a few hot keys while many workers process them. Every processing checks
   * that no other worker holds the same key, and at the end every key must have been processed after
   * its last add (no lost re-add).
   */
  @Test
  void oneKeyIsNeverProcessedByTwoWorkersAndNoAddIsLost() throws Exception {
    WorkQueue<String> q = WorkQueue.create("race");
    int keys = 6;
    int workers = 8;
    Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    Map<String, AtomicLong> version = new ConcurrentHashMap<>();
    Map<String, AtomicLong> processedVersion = new ConcurrentHashMap<>();
    for (int i = 0; i < keys; i++) {
      active.put("k" + i, new AtomicInteger());
      version.put("k" + i, new AtomicLong());
      processedVersion.put("k" + i, new AtomicLong(-1));
    }
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger processings = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread t = new Thread(() -> {
        try {
          for (String k = q.take(); k != null; k = q.take()) {
            if (active.get(k).incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            processedVersion.get(k).set(version.get(k).get());
            // Hold the key a moment and let other threads run meanwhile: a second worker given the
            // same key now would be caught.
            long until = System.nanoTime() + 50_000;
            while (System.nanoTime() < until) {
              Thread.yield();
            }
            processings.incrementAndGet();
            active.get(k).decrementAndGet();
            q.done(k);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      threads.add(t);
      t.start();
    }
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      Thread t = new Thread(() -> {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < end) {
          String k = "k" + ThreadLocalRandom.current().nextInt(keys);
          version.get(k).incrementAndGet();
          q.add(k);
          Thread.yield();
        }
      });
      producers.add(t);
      t.start();
    }
    for (Thread t : producers) {
      t.join();
    }
    // Stop waiting early if an overlap shows up: that is the failure to report.
    await().atMost(Duration.ofSeconds(20)).until(() -> overlaps.get() > 0 || keys == caughtUp(version,
        processedVersion));
    assertThat(overlaps.get()).as("a key processed by two workers at once").isZero();
    for (int i = 0; i < keys; i++) {
      assertThat(processedVersion.get("k" + i).get()).as("k" + i + " processed after its last add")
          .isEqualTo(version.get("k" + i).get());
    }
    q.shutDown();
    for (Thread t : threads) {
      t.join(5000);
      assertThat(t.isAlive()).isFalse();
    }
    long adds = version.values().stream().mapToLong(AtomicLong::get).sum();
    assertThat(processings.get()).as("de-duplication merged adds").isLessThan((int) adds).isGreaterThan(keys);
  }

  private static int caughtUp(Map<String, AtomicLong> version, Map<String, AtomicLong> processed) {
    return (int) version.keySet().stream().filter(k -> version.get(k).get() == processed.get(k).get()).count();
  }

  private void drain() {
    try {
      while (queue.len() > 0) {
        queue.done(queue.take());
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
