package io.minik8s.client.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControllerRunnerTest {
  private final ManualTaskScheduler time = new ManualTaskScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkQueue<String> queue =
      WorkQueue.<String>builder("pods").scheduler(time).meterRegistry(registry).build();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private ControllerRunner<String> runner;

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      assertThat(runner.stop(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void failuresAreRetriedWithBackOffThenForgotten() {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    run(key -> {
      calls.add(key);
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("boom");
      }
      return Result.done();
    });
    queue.add("default/web");
    await().until(() -> calls.size() == 1 && time.pendingTasks() == 1);
    assertThat(queue.retries("default/web")).isEqualTo(1);
    time.advance(Duration.ofMillis(4));
    assertThat(calls).hasSize(1);
    time.advance(Duration.ofMillis(1));
    await().until(() -> calls.size() == 2 && time.pendingTasks() == 1);
    time.advance(Duration.ofMillis(10));
    await().until(() -> calls.size() == 3);
    await().until(() -> queue.retries("default/web") == 0);
    assertThat(registry.get("controller.reconcile.errors").tag("controller", "pods").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("workqueue.retries").tag("name", "pods").counter().count()).isEqualTo(2);
    assertThat(registry.get("workqueue.adds").tag("name", "pods").counter().count()).isEqualTo(3);
    assertThat(registry.get("controller.reconcile").tag("result", "error").timer().count()).isEqualTo(2);
    await().until(() -> registry.get("controller.reconcile").tag("result", "success").timer().count() == 1);
    assertThat(registry.get("workqueue.depth").tag("name", "pods").gauge().value()).isZero();
  }

  @Test
  void requeueAfterComesBackAfterTheDelay() {
    run(key -> {
      calls.add(key);
      return calls.size() == 1 ? Result.requeueAfter(Duration.ofSeconds(30)) : Result.done();
    });
    queue.add("k");
    await().until(() -> calls.size() == 1 && time.pendingTasks() == 1);
    time.advance(Duration.ofSeconds(29));
    assertThat(calls).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    await().until(() -> calls.size() == 2);
    assertThat(queue.retries("k")).isZero();
  }

  @Test
  void requeueUsesTheBackOffWithoutCountingAnError() {
    run(key -> {
      calls.add(key);
      return calls.size() < 3 ? Result.requeue() : Result.done();
    });
    queue.add("k");
    await().until(() -> calls.size() == 1 && time.pendingTasks() == 1);
    time.advance(Duration.ofMillis(5));
    await().until(() -> calls.size() == 2 && time.pendingTasks() == 1);
    time.advance(Duration.ofMillis(10));
    await().until(() -> calls.size() == 3);
    assertThat(registry.get("controller.reconcile.errors").counter().count()).isZero();
  }

  @Test
  void resultFactoriesSayWhatTheyAre() {
    assertThat(Result.done().toString()).isEqualTo("done");
    assertThat(Result.requeue().isRequeue()).isTrue();
    assertThat(Result.requeueAfter(Duration.ofSeconds(1)).requeueAfter()).contains(Duration.ofSeconds(1));
    assertThat(Result.done().requeueAfter()).isEmpty();
  }

  private void run(Reconciler<String> reconciler) {
    runner = new ControllerRunner<>("pods", queue, reconciler, 2, registry);
    runner.start();
  }
}
