package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.probe.ProbeResults;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.runtime.RuntimePod;
import io.minik8s.kubelet.runtime.RuntimePodReader;
import io.minik8s.kubelet.testing.MutableClock;
import io.minik8s.kubelet.testing.Pods;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure planning: desired pod + runtime state (built in a FakeRuntime) → actions, nothing executed. */
class PodSyncTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime("10.88.0.0/16", clock).addImage(Pods.IMAGE);
  private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
  private final PodSync sync = new PodSync(backoff, ProbeResults.NONE);
  private final PodSpecs specs = new PodSpecs(Path.of("/logs"), List.of(), "cluster.local");
  private final Container a = Pods.container("a", "sleep", "3600");
  private final Container b = Pods.container("b", "sleep", "3600");

  private RuntimePod actual(Pod pod) {
    return new RuntimePodReader(runtime).read(pod.getMetadata().getUid());
  }

  /** What a worker would have made of the pod: its sandbox with every container running. */
  private String[] runAsTheKubeletWould(Pod pod) {
    SandboxSpec s = specs.sandbox(pod, 0);
    String sandbox = runtime.runSandbox(s);
    List<String> ids = new java.util.ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      String id = runtime.createContainer(sandbox, specs.container(pod, c, 0), s);
      runtime.startContainer(id);
      ids.add(id);
    }
    return ids.toArray(String[]::new);
  }

  @Test
  void aRunningContainerWhoseStartupOrLivenessProbeFailedIsKilled() {
    Pod pod = Pods.pod("web", "Always", a, b);
    String[] ids = runAsTheKubeletWould(pod);
    ProbeResults failing = new ProbeResults() {
      @Override
      public java.util.Optional<Boolean> readiness(String containerId) {
        return java.util.Optional.empty();
      }

      @Override
      public boolean livenessFailed(String containerId) {
        return containerId.equals(ids[1]);
      }

      @Override
      public boolean started(String containerId) {
        return false;
      }

      @Override
      public boolean startupFailed(String containerId) {
        return containerId.equals(ids[0]);
      }
    };
    assertThat(new PodSync(backoff, failing).plan(pod, actual(pod)).actions()).containsExactly(
        new PodAction.KillContainer(ids[0], "a", 30, PodSync.REASON_STARTUP),
        new PodAction.KillContainer(ids[1], "b", 30, PodSync.REASON_LIVENESS));
  }

  @Test
  void aNewPodGetsASandboxThenEveryContainer() {
    Pod pod = Pods.pod("web", "Always", a, b);
    assertThat(sync.plan(pod, actual(pod)).actions()).containsExactly(new PodAction.CreateSandbox(0),
        new PodAction.StartContainer(a, 0, false), new PodAction.StartContainer(b, 0, false));
  }

  @Test
  void aPodRunningAsSpecifiedNeedsNothing() {
    Pod pod = Pods.pod("web", "Always", a, b);
    runAsTheKubeletWould(pod);
    SyncPlan plan = sync.plan(pod, actual(pod));
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.sandboxId()).isEqualTo(runtime.listSandboxes(java.util.Map.of()).get(0).id());
  }

  @Test
  void anExitedContainerIsRestartedOnlyOnceItsBackOffHasPassed() {
    Pod pod = Pods.pod("web", "Always", a);
    String id = runAsTheKubeletWould(pod)[0];
    runtime.exitContainer(id, 1);
    assertThat(sync.plan(pod, actual(pod)).actions()).containsExactly(new PodAction.StartContainer(a, 1, true));

    backoff.next(PodSync.backoffKey(pod.getMetadata().getUid(), "a")); // the worker's record of that restart
    SyncPlan waiting = sync.plan(pod, actual(pod));
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.waiting().get("a").reason()).isEqualTo("CrashLoopBackOff");
    assertThat(waiting.requeue()).hasValue(Duration.ofSeconds(10));
  }

  @Test
  void aContainerThatExitedZeroUnderOnFailureEndsThePodAndTheSandboxStops() {
    Pod pod = Pods.pod("job", "OnFailure", a);
    String id = runAsTheKubeletWould(pod)[0];
    runtime.exitContainer(id, 0);
    String sandbox = runtime.listSandboxes(java.util.Map.of()).get(0).id();
    assertThat(sync.plan(pod, actual(pod)).actions()).containsExactly(new PodAction.StopSandbox(sandbox));
  }

  @Test
  void aPodGoneFromTheApiIsKilledWithTheGracePeriodItsContainersWereMadeWith() {
    Pod pod = Pods.pod("web", "Always", a);
    pod = pod.toBuilder().setSpec(pod.getSpec().toBuilder().setTerminationGracePeriodSeconds(7)).build();
    String id = runAsTheKubeletWould(pod)[0];
    String sandbox = runtime.listSandboxes(java.util.Map.of()).get(0).id();
    assertThat(sync.planRemoval(actual(pod)).actions()).containsExactly(
        new PodAction.KillContainer(id, "a", 7, PodSync.REASON_GONE), new PodAction.StopSandbox(sandbox),
        new PodAction.RemoveSandbox(sandbox));
    assertThat(runtime.listContainers(ContainerFilter.all())).hasSize(1); // planning changed nothing
  }
}
