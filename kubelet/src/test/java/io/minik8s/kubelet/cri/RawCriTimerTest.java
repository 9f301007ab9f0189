package io.minik8s.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.testkit.containerd.ContainerdProcess;
import io.minik8s.testkit.containerd.LocalImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawCriTimerTest {

  @Test
  void percentilesAreNearestRank() {
    List<Duration> values = List.of(5, 1, 4, 2, 3).stream().map(Duration::ofMillis).toList();
    assertThat(RawCriTimer.percentile(values, 50)).isEqualTo(Duration.ofMillis(3));
    assertThat(RawCriTimer.percentile(values, 99)).isEqualTo(Duration.ofMillis(5));
    assertThat(RawCriTimer.percentile(values, 0)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void timesEveryPodAndRemovesThemAgainOnARealContainerd() {
    try (ContainerdProcess containerd = ContainerdProcess.start();
         CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(30))) {
      RawCriTimer.Timings timings = RawCriTimer.run(cri, 3, LocalImages.BUSYBOX);

      assertThat(timings.runSandbox()).hasSize(3).allMatch(d -> d.toNanos() > 0);
      assertThat(timings.createAndStart()).hasSize(3).allMatch(d -> d.toNanos() > 0);
      assertThat(timings.report()).contains("RunPodSandbox", "p50", "p99");
      assertThat(cri.listSandboxes(Map.of())).isEmpty();
    }
  }
}
