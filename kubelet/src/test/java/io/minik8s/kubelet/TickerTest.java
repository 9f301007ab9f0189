package io.minik8s.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TickerTest {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void runsAgainAfterTheDelayEachRunReturnsAndAfterAFailure() {
    AtomicInteger runs = new AtomicInteger();
    Ticker ticker = new Ticker("t", scheduler, () -> {
      if (runs.incrementAndGet() == 2) {
        throw new IllegalStateException("boom");
      }
      return Duration.ofMillis(10);
    });

    ticker.start(Duration.ZERO);

    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 4); // the second run threw
    ticker.close();
  }

  @Test
  void closeStopsTheRunsButNotTheSharedScheduler() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger overlapping = new AtomicInteger();
    AtomicInteger inRun = new AtomicInteger();
    Ticker ticker = new Ticker("t", scheduler, () -> {
      if (inRun.incrementAndGet() > 1) {
        overlapping.incrementAndGet();
      }
      runs.incrementAndGet();
      inRun.decrementAndGet();
      return Duration.ZERO;
    });
    ticker.start(Duration.ZERO);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 100);

    ticker.close();
    int after = runs.get();
    AtomicInteger other = new AtomicInteger();
    scheduler.submit(other::incrementAndGet).get();

    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() <= after + 1);
    assertThat(other.get()).isEqualTo(1);
    assertThat(overlapping.get()).isZero();
  }
}
