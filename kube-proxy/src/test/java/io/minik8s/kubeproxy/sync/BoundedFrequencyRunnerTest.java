package io.minik8s.kubeproxy.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedFrequencyRunnerTest {
  record Run(long nanos, boolean full) {}

  private final List<Run> runs = new CopyOnWriteArrayList<>();

  @Test
  void firstRunIsImmediateAndFullThenABurstOfRequestsIsOneRunNoSoonerThanTheMinInterval() throws Exception {
    Duration min = Duration.ofMillis(300);
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", min, Duration.ofHours(1),
        full -> runs.add(new Run(System.nanoTime(), full)))) {
      runner.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
      assertThat(runs.get(0).full()).isTrue();
      for (int i = 0; i < 20; i++) {
        runner.requestSync();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
      assertThat(runs.get(1).full()).isFalse();
      assertThat(runs.get(1).nanos() - runs.get(0).nanos()).isGreaterThanOrEqualTo(min.toNanos());
      // Twenty requests, one run: nothing more comes while nobody asks.
      await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> runs.size() == 2);
    }
  }

  @Test
  void runsFullEveryMaxIntervalWithoutBeingAsked() throws Exception {
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", Duration.ofMillis(10),
        Duration.ofMillis(200), full -> runs.add(new Run(System.nanoTime(), full)))) {
      runner.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() >= 3);
      assertThat(runs).allMatch(Run::full);
    }
  }

  @Test
  void aFailedRunIsRetriedAndRunsStayFullUntilOneSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", Duration.ofMillis(20),
        Duration.ofHours(1), full -> {
          runs.add(new Run(System.nanoTime(), full));
          if (calls.incrementAndGet() <= 2) {
            throw new IllegalStateException("iptables is busy");
          }
        })) {
      runner.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 3);
      assertThat(runs).allMatch(Run::full);
      runner.requestSync();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 4);
      assertThat(runs.get(3).full()).isFalse();
    }
  }

  @Test
  void closeStopsTheThreadAndAMinAboveTheMaxIsRefused() throws Exception {
    BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", Duration.ofMillis(10), Duration.ofHours(1),
        full -> runs.add(new Run(System.nanoTime(), full)));
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    runner.close();
    runner.requestSync();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> runs.size() == 1);

    assertThatThrownBy(() -> new BoundedFrequencyRunner("proxier-sync", Duration.ofSeconds(5), Duration.ofSeconds(1),
        full -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxier-sync");
  }
}
