package io.minik8s.kubelet.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStateWaiting;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.Timestamps;
import io.minik8s.kubelet.cri.ContainerInfo;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.cri.SandboxState;
import io.minik8s.kubelet.probe.ProbeResults;
import io.minik8s.kubelet.restart.RestartPolicy;
import io.minik8s.kubelet.runtime.RuntimeContainer;
import io.minik8s.kubelet.runtime.RuntimePod;
import io.minik8s.kubelet.testing.Pods;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodStatusCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final PodStatusCalculator calc = new PodStatusCalculator("192.168.1.10", "containerd");

  private static SandboxInfo sandbox(String id, SandboxState state, String ip) {
    return new SandboxInfo(id, "web", "default", "uid", 0, state, T0, ip, Map.of(), Map.of());
  }

  private static RuntimeContainer container(String name, int attempt, io.minik8s.kubelet.cri.ContainerState state,
      int exitCode) {
    Instant finished = state == io.minik8s.kubelet.cri.ContainerState.EXITED ? T0.plusSeconds(attempt * 10L + 5) : null;
    return new RuntimeContainer("s1", new ContainerInfo(name + "-" + attempt, name, attempt, Pods.IMAGE, "sha256:abc",
        state, T0.plusSeconds(attempt * 10L), T0.plusSeconds(attempt * 10L + 1), finished, exitCode, "", "", Map.of(),
        Map.of(), name + "/" + attempt + ".log"));
  }

  private static ContainerStatus status(ContainerState state, boolean lastTerminated) {
    ContainerStatus.Builder b = ContainerStatus.newBuilder().setName("c").setState(state);
    if (lastTerminated) {
      b.setLastState(ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder().setExitCode(1)));
    }
    return b.build();
  }

  private static final ContainerState RUNNING = ContainerState.newBuilder()
      .setRunning(ContainerStateRunning.getDefaultInstance()).build();
  private static final ContainerState WAITING = ContainerState.newBuilder()
      .setWaiting(ContainerStateWaiting.getDefaultInstance()).build();

  private static ContainerState exited(int code) {
    return ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder().setExitCode(code)).build();
  }

  @Test
  void phaseFollowsKubernetesGetPhase() {
    assertThat(PodStatusCalculator.phase(List.of(status(WAITING, false)), RestartPolicy.ALWAYS)).isEqualTo("Pending");
    assertThat(PodStatusCalculator.phase(List.of(status(RUNNING, false), status(WAITING, false)), RestartPolicy.ALWAYS))
        .isEqualTo("Pending");
    assertThat(PodStatusCalculator.phase(List.of(status(RUNNING, false), status(WAITING, true)), RestartPolicy.ALWAYS))
        .isEqualTo("Running");
    assertThat(PodStatusCalculator.phase(List.of(status(exited(1), false)), RestartPolicy.ALWAYS)).isEqualTo("Running");
    assertThat(PodStatusCalculator.phase(List.of(status(exited(0), false), status(exited(0), false)),
        RestartPolicy.NEVER)).isEqualTo("Succeeded");
    assertThat(PodStatusCalculator.phase(List.of(status(exited(0), false), status(exited(2), false)),
        RestartPolicy.NEVER)).isEqualTo("Failed");
    assertThat(PodStatusCalculator.phase(List.of(status(exited(0), false)), RestartPolicy.ON_FAILURE))
        .isEqualTo("Succeeded");
    assertThat(PodStatusCalculator.phase(List.of(status(WAITING, true)), RestartPolicy.ON_FAILURE)).isEqualTo("Running");
    assertThat(PodStatusCalculator.phase(List.of(status(RUNNING, false), status(exited(1), false)), RestartPolicy.NEVER))
        .isEqualTo("Running");
  }

  @Test
  void aPodWithoutContainersYetIsPendingAndCreating() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1"));
    PodStatus s = calc.compute(pod, RuntimePod.empty("uid"), pod.getStatus(), Map.of(), ProbeResults.NONE, T0);
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(s.getContainerStatuses(0).getStarted()).isFalse();
    assertThat(s.getConditionsList()).filteredOn(c -> c.getType().equals("Ready")).extracting(PodCondition::getMessage)
        .containsExactly("containers with unready status: [c]");
    assertThat(s.getPodIp()).isEmpty();
    assertThat(s.getHostIp()).isEqualTo("192.168.1.10");
    assertThat(s.getStartTime()).isEqualTo(Timestamps.seconds(T0));
  }

  @Test
  void aSyncReasonReplacesContainerCreating() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1"));
    PodStatus s = calc.compute(pod, RuntimePod.empty("uid"), pod.getStatus(),
        Map.of("c", new ContainerWaiting("ErrImageNeverPull", "not present")), ProbeResults.NONE, T0);
    assertThat(s.getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("ErrImageNeverPull");
    assertThat(s.getContainerStatuses(0).getState().getWaiting().getMessage()).isEqualTo("not present");
  }

  @Test
  void aRestartedContainerShowsItsPreviousExitAsLastState() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1"));
    RuntimePod actual = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.READY, "10.0.0.5")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.EXITED, 2),
            container("c", 1, io.minik8s.kubelet.cri.ContainerState.RUNNING, 0)));
    PodStatus s = calc.compute(pod, actual, pod.getStatus(), Map.of(), ProbeResults.NONE, T0);
    ContainerStatus c = s.getContainerStatuses(0);
    assertThat(c.getRestartCount()).isEqualTo(1);
    assertThat(c.getContainerId()).isEqualTo("containerd://c-1");
    assertThat(c.getState().getRunning().getStartedAt()).isEqualTo(Timestamps.seconds(T0.plusSeconds(11)));
    assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(2);
    assertThat(c.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(c.getLastState().getTerminated().getContainerId()).isEqualTo("containerd://c-0");
    assertThat(c.getReady()).isTrue();
    assertThat(s.getPodIp()).isEqualTo("10.0.0.5");
    assertThat(s.getPhase()).isEqualTo("Running");
  }

  @Test
  void aReadinessProbeDecidesReadiness() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1").toBuilder()
        .setReadinessProbe(Probe.newBuilder().setPeriodSeconds(1)).build());
    RuntimePod actual = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.READY, "10.0.0.5")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.RUNNING, 0)));
    ProbeResults unready = new ProbeResults() {
      @Override
      public Optional<Boolean> readiness(String containerId) {
        return Optional.of(false);
      }

      @Override
      public boolean livenessFailed(String containerId) {
        return false;
      }

      @Override
      public boolean started(String containerId) {
        return false;
      }

      @Override
      public boolean startupFailed(String containerId) {
        return false;
      }
    };
    assertThat(calc.compute(pod, actual, pod.getStatus(), Map.of(), ProbeResults.NONE, T0).getContainerStatuses(0)
        .getReady()).as("no verdict yet").isFalse();
    PodStatus s = calc.compute(pod, actual, pod.getStatus(), Map.of(), unready, T0);
    assertThat(s.getContainerStatuses(0).getReady()).isFalse();
    assertThat(s.getContainerStatuses(0).getStarted()).isTrue();
    assertThat(s.getConditionsList()).filteredOn(c -> c.getType().equals("ContainersReady"))
        .extracting(PodCondition::getStatus).containsExactly("False");
  }

  @Test
  void aStartupProbeGatesStartedAndReadyUntilItSucceeds() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1").toBuilder()
        .setStartupProbe(Probe.newBuilder().setPeriodSeconds(1)).build());
    RuntimePod actual = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.READY, "10.0.0.5")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.RUNNING, 0)));
    java.util.concurrent.atomic.AtomicBoolean startedYet = new java.util.concurrent.atomic.AtomicBoolean();
    ProbeResults startup = new ProbeResults() {
      @Override
      public Optional<Boolean> readiness(String containerId) {
        return Optional.empty();
      }

      @Override
      public boolean livenessFailed(String containerId) {
        return false;
      }

      @Override
      public boolean started(String containerId) {
        return startedYet.get();
      }

      @Override
      public boolean startupFailed(String containerId) {
        return false;
      }
    };

    PodStatus starting = calc.compute(pod, actual, pod.getStatus(), Map.of(), startup, T0);
    assertThat(starting.getContainerStatuses(0).getState().hasRunning()).isTrue();
    assertThat(starting.getContainerStatuses(0).getStarted()).isFalse();
    assertThat(starting.getContainerStatuses(0).getReady()).isFalse();
    assertThat(starting.getConditionsList()).filteredOn(c -> c.getType().equals("Ready"))
        .extracting(PodCondition::getStatus).containsExactly("False");

    startedYet.set(true);
    PodStatus started = calc.compute(pod, actual, starting, Map.of(), startup, T0.plusSeconds(5));
    assertThat(started.getContainerStatuses(0).getStarted()).isTrue();
    assertThat(started.getContainerStatuses(0).getReady()).as("no readiness probe: ready once started").isTrue();
    assertThat(started.getConditionsList()).filteredOn(c -> c.getType().equals("Ready"))
        .extracting(PodCondition::getStatus).containsExactly("True");

    Pod withReadiness = pod.toBuilder().setSpec(pod.getSpec().toBuilder().setContainers(0, pod.getSpec()
        .getContainers(0).toBuilder().setReadinessProbe(Probe.newBuilder().setPeriodSeconds(1)))).build();
    assertThat(calc.compute(withReadiness, actual, starting, Map.of(), startup, T0).getContainerStatuses(0)
        .getReady()).as("started, readiness not yet known").isFalse();
  }

  @Test
  void conditionTransitionTimesCarryOverWhileTheValueIsUnchanged() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "1"));
    RuntimePod running = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.READY, "10.0.0.5")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.RUNNING, 0)));
    PodStatus first = calc.compute(pod, running, pod.getStatus(), Map.of(), ProbeResults.NONE, T0);
    PodStatus again = calc.compute(pod, running, first, Map.of(), ProbeResults.NONE, T0.plusSeconds(60));
    assertThat(again).isEqualTo(first);

    RuntimePod exited = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.READY, "10.0.0.5")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.EXITED, 1)));
    PodStatus later = calc.compute(pod, exited, first, Map.of(), ProbeResults.NONE, T0.plusSeconds(60));
    assertThat(later.getConditionsList()).filteredOn(c -> c.getType().equals("Ready"))
        .extracting(PodCondition::getLastTransitionTime).containsExactly(Timestamps.seconds(T0.plusSeconds(60)));
    assertThat(later.getConditionsList()).filteredOn(c -> c.getType().equals("PodScheduled"))
        .extracting(PodCondition::getLastTransitionTime).containsExactly(Timestamps.seconds(T0));
    assertThat(later.getContainerStatuses(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(later.getStartTime()).isEqualTo(first.getStartTime());
  }

  @Test
  void aTerminalPhaseNeverChangesAndThePodIpOutlivesTheSandbox() {
    Pod pod = Pods.pod("job", "Never", Pods.container("c", "true"));
    RuntimePod done = new RuntimePod("uid", List.of(sandbox("s1", SandboxState.NOT_READY, "")),
        List.of(container("c", 0, io.minik8s.kubelet.cri.ContainerState.EXITED, 0)));
    PodStatus previous = pod.getStatus().toBuilder().setPhase("Succeeded").setPodIp("10.0.0.9").build();
    PodStatus s = calc.compute(pod, done, previous, Map.of(), ProbeResults.NONE, T0);
    assertThat(s.getPhase()).isEqualTo("Succeeded");
    assertThat(s.getPodIp()).isEqualTo("10.0.0.9");
    assertThat(s.getContainerStatuses(0).getState().getTerminated().getReason()).isEqualTo("Completed");

    PodStatus gone = calc.compute(pod, RuntimePod.empty("uid"), s, Map.of(), ProbeResults.NONE, T0);
    assertThat(gone.getPhase()).isEqualTo("Succeeded");
    assertThat(gone.getContainerStatusesList()).isEqualTo(s.getContainerStatusesList());
  }
}
