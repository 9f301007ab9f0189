package io.minik8s.kubelet.pleg;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.kubelet.cri.ContainerSpec;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.runtime.PodLabels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelisterTest {
  private final FakeRuntime runtime = new FakeRuntime().addImage("img");
  private final List<String> reported = new ArrayList<>();
  private final Relister relister = new Relister(runtime, reported::add, Duration.ofSeconds(1), Clock.systemUTC(),
      new SimpleMeterRegistry(), java.util.concurrent.Executors.newSingleThreadScheduledExecutor());

  private String[] runPod(String uid) {
    SandboxSpec spec = SandboxSpec.builder("p-" + uid, "default", uid).labels(Map.of(PodLabels.POD_UID, uid)).build();
    String sandbox = runtime.runSandbox(spec);
    String c = runtime.createContainer(sandbox, ContainerSpec.builder("c", "img")
        .labels(Map.of(PodLabels.POD_UID, uid, PodLabels.CONTAINER_NAME, "c")).build(), spec);
    runtime.startContainer(c);
    return new String[] {sandbox, c};
  }

  @Test
  void theFirstRelistReportsEveryPodThenOnlyPodsWhoseContainersChanged() {
    String[] a = runPod("uid-a");
    runPod("uid-b");
    runtime.runSandbox(SandboxSpec.builder("foreign", "x", "u").build()); // not the kubelet's: no uid label

    assertThat(relister.relist()).containsExactlyInAnyOrder("uid-a", "uid-b");
    assertThat(relister.relist()).isEmpty();
    assertThat(relister.lastSnapshot().runningPods()).isEqualTo(2);

    runtime.exitContainer(a[1], 1);
    assertThat(relister.relist()).containsExactly("uid-a");

    runtime.stopSandbox(a[0]);
    runtime.removeSandbox(a[0]);
    assertThat(relister.relist()).containsExactly("uid-a");
    assertThat(relister.lastSnapshot().pods()).containsOnlyKeys("uid-b");
    assertThat(reported).containsExactlyInAnyOrder("uid-a", "uid-b", "uid-a", "uid-a");
    assertThat(relister.healthy()).isTrue();
  }

  @Test
  void aFailedRelistKeepsThePreviousSnapshotSoNoChangeIsLost() {
    String[] a = runPod("uid-a");
    relister.relist();
    runtime.exitContainer(a[1], 0);
    runtime.failNext("ListContainers", "down");
    org.assertj.core.api.Assertions.assertThatThrownBy(relister::relist).hasMessageContaining("down");
    assertThat(relister.relist()).containsExactly("uid-a");
  }
}
