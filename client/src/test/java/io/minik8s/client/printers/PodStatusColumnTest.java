package io.minik8s.client.printers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStateWaiting;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import org.junit.jupiter.api.Test;

class PodStatusColumnTest {

  private static Pod pod(String phase, ContainerStatus... statuses) {
    PodSpec.Builder spec = PodSpec.newBuilder();
    for (ContainerStatus s : statuses) {
      spec.addContainers(Container.newBuilder().setName(s.getName()).setImage("img"));
    }
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p"))
        .setSpec(spec).setStatus(PodStatus.newBuilder().setPhase(phase).addAllContainerStatuses(java.util.List.of(statuses)))
        .build();
  }

  private static ContainerStatus running(String name, boolean ready, int restarts) {
    return ContainerStatus.newBuilder().setName(name).setReady(ready).setRestartCount(restarts)
        .setState(ContainerState.newBuilder().setRunning(ContainerStateRunning.getDefaultInstance())).build();
  }

  private static ContainerStatus waiting(String name, String reason, int restarts) {
    return ContainerStatus.newBuilder().setName(name).setRestartCount(restarts)
        .setState(ContainerState.newBuilder().setWaiting(ContainerStateWaiting.newBuilder().setReason(reason))).build();
  }

  private static ContainerStatus terminated(String name, String reason, int exitCode, int signal) {
    return ContainerStatus.newBuilder().setName(name)
        .setState(ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder()
            .setReason(reason).setExitCode(exitCode).setSignal(signal))).build();
  }

  @Test
  void aRunningPodShowsItsPhaseAndReadyContainers() {
    Pod pod = pod("Running", running("a", true, 0), running("b", false, 2));
    assertThat(PodStatusColumn.status(pod)).isEqualTo("Running");
    assertThat(PodStatusColumn.ready(pod)).isEqualTo("1/2");
    assertThat(PodStatusColumn.restarts(pod)).isEqualTo("2");
  }

  @Test
  void aWaitingContainersReasonReplacesThePhase() {
    Pod pod = pod("Running", running("a", true, 0), waiting("b", "CrashLoopBackOff", 5));
    assertThat(PodStatusColumn.status(pod)).isEqualTo("CrashLoopBackOff");
    assertThat(PodStatusColumn.restarts(pod)).isEqualTo("5");
  }

  @Test
  void theFirstContainersStateWins() {
    Pod pod = pod("Pending", waiting("a", "ContainerCreating", 0), waiting("b", "ErrImagePull", 0));
    assertThat(PodStatusColumn.status(pod)).isEqualTo("ContainerCreating");
  }

  @Test
  void aTerminatedContainerShowsItsReasonOrExitCodeOrSignal() {
    assertThat(PodStatusColumn.status(pod("Succeeded", terminated("a", "Completed", 0, 0)))).isEqualTo("Completed");
    assertThat(PodStatusColumn.status(pod("Failed", terminated("a", "", 3, 0)))).isEqualTo("ExitCode:3");
    assertThat(PodStatusColumn.status(pod("Failed", terminated("a", "", 137, 9)))).isEqualTo("Signal:9");
  }

  @Test
  void completedWithAContainerStillRunningIsRunningOrNotReady() {
    Pod notReady = pod("Running", terminated("a", "Completed", 0, 0), running("b", true, 0));
    assertThat(PodStatusColumn.status(notReady)).isEqualTo("NotReady");
    Pod ready = notReady.toBuilder().setStatus(notReady.getStatus().toBuilder()
        .addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True"))).build();
    assertThat(PodStatusColumn.status(ready)).isEqualTo("Running");
  }

  @Test
  void aPodBeingDeletedIsTerminatingWhateverItsContainersSay() {
    Pod pod = pod("Running", running("a", true, 0));
    pod = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder()
        .setDeletionTimestamp(Timestamp.newBuilder().setSeconds(1))).build();
    assertThat(PodStatusColumn.status(pod)).isEqualTo("Terminating");
    Pod lost = pod.toBuilder().setStatus(pod.getStatus().toBuilder().setReason("NodeLost")).build();
    assertThat(PodStatusColumn.status(lost)).isEqualTo("Unknown");
  }

  @Test
  void thePodsOwnReasonReplacesThePhase() {
    Pod evicted = pod("Failed").toBuilder().setStatus(PodStatus.newBuilder().setPhase("Failed").setReason("Evicted")).build();
    assertThat(PodStatusColumn.status(evicted)).isEqualTo("Evicted");
  }

  @Test
  void aPodWithoutStatusIsPendingWithNothingReady() {
    Pod pod = Pod.newBuilder().setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("a"))).build();
    assertThat(PodStatusColumn.status(pod)).isEqualTo("Pending");
    assertThat(PodStatusColumn.ready(pod)).isEqualTo("0/1");
    assertThat(PodStatusColumn.restarts(pod)).isEqualTo("0");
  }
}
