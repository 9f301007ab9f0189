package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import io.minik8s.client.workqueue.Result;
import io.minik8s.kubelet.Timestamps;
import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.ContainerState;
import io.minik8s.kubelet.cri.ContainerSummary;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.SandboxState;
import io.minik8s.kubelet.cri.SandboxSummary;
import io.minik8s.kubelet.events.EventRecorder;
import io.minik8s.kubelet.probe.PodProbes;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.runtime.PodLabels;
import io.minik8s.kubelet.runtime.RuntimePod;
import io.minik8s.kubelet.status.PodStatusCalculator;
import io.minik8s.kubelet.status.PodStatusWriter;
import io.minik8s.kubelet.testing.MutableClock;
import io.minik8s.kubelet.testing.Pods;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pod worker over an in-memory runtime ({@link FakeRuntime}) and an in-memory API (a map the status
 * writes and deletion confirmations go to): what one sync does to the runtime and reports.
 */
class PodWorkerTest {
  private static final Duration BASE = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime("10.88.0.0/16", clock).addImage(Pods.IMAGE);
  private final Map<String, Pod> api = new ConcurrentHashMap<>();
  private final List<Pod> statusWrites = Collections.synchronizedList(new ArrayList<>());
  private final List<Pod> confirmed = Collections.synchronizedList(new ArrayList<>());
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final RestartBackoff backoff = new RestartBackoff(BASE, Duration.ofMinutes(5), clock);
  private final List<PodWorker> workers = new ArrayList<>();
  private final Set<String> livenessFailures = ConcurrentHashMap.newKeySet();
  private final Set<String> startupFailures = ConcurrentHashMap.newKeySet();
  private PodWorker worker = newWorker();

  private PodWorker newWorker() {
    EventRecorder recorder = (pod, container, type, reason, message) -> events.add(reason + " " + container);
    PodProbes probes = new PodProbes() {
      @Override
      public Optional<Boolean> readiness(String containerId) {
        return Optional.empty();
      }

      @Override
      public boolean livenessFailed(String containerId) {
        return livenessFailures.contains(containerId);
      }

      @Override
      public boolean started(String containerId) {
        return !startupFailures.contains(containerId);
      }

      @Override
      public boolean startupFailed(String containerId) {
        return startupFailures.contains(containerId);
      }

      @Override
      public void sync(Pod pod, RuntimePod actual) {
      }

      @Override
      public void forget(String podUid) {
      }
    };
    PodWorker w = new PodWorker(uid -> Optional.ofNullable(api.get(uid)), runtime,
        new PodSpecs(Path.of("/var/log/pods"), List.of(), "cluster.local"), backoff,
        new PodStatusCalculator("192.168.1.10", "fake"),
        new PodStatusWriter(p -> {
          statusWrites.add(p);
          api.computeIfPresent(p.getMetadata().getUid(), (k, old) -> old.toBuilder().setStatus(p.getStatus()).build());
          return p;
        }),
        p -> {
          confirmed.add(p);
          api.remove(p.getMetadata().getUid());
        },
        probes, recorder, clock);
    workers.add(w);
    return w;
  }

  @AfterEach
  void closeWorkers() throws InterruptedException {
    for (PodWorker w : workers) {
      w.close();
    }
  }

  private Result sync(Pod pod) {
    api.putIfAbsent(pod.getMetadata().getUid(), pod);
    return worker.reconcile(pod.getMetadata().getUid());
  }

  private Result resync(Pod pod) {
    return worker.reconcile(pod.getMetadata().getUid());
  }

  private PodStatus status(Pod pod) {
    return api.get(pod.getMetadata().getUid()).getStatus();
  }

  private ContainerStatus containerStatus(Pod pod, String name) {
    return status(pod).getContainerStatusesList().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  private List<SandboxSummary> sandboxes(Pod pod) {
    return runtime.listSandboxes(Map.of(PodLabels.POD_UID, pod.getMetadata().getUid()));
  }

  private List<ContainerSummary> containers(Pod pod, String name) {
    return runtime.listContainers(ContainerFilter.withLabels(Map.of(PodLabels.POD_UID, pod.getMetadata().getUid(),
            PodLabels.CONTAINER_NAME, name))).stream()
        .sorted(Comparator.comparingInt(ContainerSummary::attempt).reversed()).toList();
  }

  private String runningId(Pod pod, String name) {
    ContainerSummary c = containers(pod, name).get(0);
    assertThat(c.state()).isEqualTo(ContainerState.RUNNING);
    return c.id();
  }

  @Test
  void firstSyncRunsASandboxAndStartsEveryContainerAndReportsRunning() {
    Pod pod = Pods.pod("web", "Always", Pods.container("httpd", "httpd", "-f"), Pods.container("sidecar", "sleep", "3600"));

    assertThat(sync(pod)).isEqualTo(Result.done());

    List<SandboxSummary> sandboxes = sandboxes(pod);
    assertThat(sandboxes).hasSize(1);
    SandboxSummary sandbox = sandboxes.get(0);
    assertThat(sandbox.ready()).isTrue();
    assertThat(sandbox.labels()).containsEntry(PodLabels.POD_NAME, "web").containsEntry(PodLabels.POD_NAMESPACE, "default");
    assertThat(runtime.listContainers(ContainerFilter.inSandbox(sandbox.id())))
        .extracting(ContainerSummary::name).containsExactlyInAnyOrder("httpd", "sidecar");
    String httpd = runningId(pod, "httpd");
    assertThat(runtime.containerStatus(httpd).orElseThrow().logPath()).isEqualTo("httpd/0.log");

    PodStatus status = status(pod);
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(status.getPodIp()).startsWith("10.88.");
    assertThat(status.getPodIpsList()).extracting(p -> p.getIp()).containsExactly(status.getPodIp());
    assertThat(status.getHostIp()).isEqualTo("192.168.1.10");
    assertThat(status.getQosClass()).isEqualTo("BestEffort");
    assertThat(status.getStartTime()).isEqualTo(Timestamps.seconds(clock.instant()));
    assertThat(status.getConditionsList()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Initialized=True", "Ready=True", "ContainersReady=True", "PodScheduled=True");
    ContainerStatus cs = containerStatus(pod, "httpd");
    assertThat(cs.getState().hasRunning()).isTrue();
    assertThat(cs.getReady()).isTrue();
    assertThat(cs.getStarted()).isTrue();
    assertThat(cs.getRestartCount()).isZero();
    assertThat(cs.getContainerId()).isEqualTo("fake://" + httpd);
    assertThat(cs.getImage()).isEqualTo(Pods.IMAGE);
    assertThat(cs.getImageId()).startsWith("sha256:");
    assertThat(events).contains("Pulled httpd", "Created httpd", "Started httpd", "Started sidecar");
  }

  @Test
  void aSecondSyncOfAnUnchangedPodDoesNothingAndWritesNothing() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String id = runningId(pod, "c");
    int writes = statusWrites.size();

    resync(pod);

    assertThat(sandboxes(pod)).hasSize(1);
    assertThat(runningId(pod, "c")).isEqualTo(id);
    assertThat(statusWrites).hasSize(writes);
  }

  @Test
  void aNewKubeletAdoptsRunningSandboxesAndContainersByTheirLabels() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String sandboxId = sandboxes(pod).get(0).id();
    String id = runningId(pod, "c");

    worker = newWorker(); // a restarted kubelet: fresh worker, fresh memory; same runtime and API
    resync(pod);

    assertThat(sandboxes(pod)).extracting(SandboxSummary::id).containsExactly(sandboxId);
    assertThat(containers(pod, "c")).extracting(ContainerSummary::id).containsExactly(id);
    assertThat(status(pod).getPhase()).isEqualTo("Running");
  }

  @Test
  void alwaysRestartsAnExitedContainerAtOnceThenWithDoublingBackOff() {
    Pod pod = Pods.pod("crash", "Always", Pods.container("c", "sh", "-c", "exit 1"));
    sync(pod);

    runtime.exitContainer(runningId(pod, "c"), 1);
    assertThat(resync(pod)).isEqualTo(Result.done());
    assertThat(containers(pod, "c").get(0).attempt()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getLastState().getTerminated().getExitCode()).isEqualTo(1);

    runtime.exitContainer(runningId(pod, "c"), 1);
    Result r = resync(pod);
    assertThat(r.requeueAfter()).hasValue(BASE);
    ContainerStatus waiting = containerStatus(pod, "c");
    assertThat(waiting.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(waiting.getState().getWaiting().getMessage()).contains("back-off 10s restarting failed container=c");
    assertThat(waiting.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(waiting.getRestartCount()).isEqualTo(1);
    assertThat(status(pod).getPhase()).isEqualTo("Running");
    assertThat(events).contains("BackOff c");

    clock.advance(BASE.minusSeconds(1));
    assertThat(resync(pod).requeueAfter()).hasValue(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    resync(pod);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(2);
    assertThat(containerStatus(pod, "c").getState().hasRunning()).isTrue();

    runtime.exitContainer(runningId(pod, "c"), 1);
    assertThat(resync(pod).requeueAfter()).hasValue(BASE.multipliedBy(2));
    // Ended containers are kept: the newest two of a name.
    assertThat(containers(pod, "c")).hasSize(2);
  }

  @Test
  void onFailureRestartsFailuresButAPodWhoseContainersSucceededIsSucceededAndStopped() {
    Pod pod = Pods.pod("job", "OnFailure", Pods.container("c", "true"));
    sync(pod);
    runtime.exitContainer(runningId(pod, "c"), 2);
    resync(pod);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(1);

    runtime.exitContainer(runningId(pod, "c"), 0);
    resync(pod);

    assertThat(status(pod).getPhase()).isEqualTo("Succeeded");
    assertThat(containerStatus(pod, "c").getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(sandboxes(pod)).extracting(SandboxSummary::state).containsExactly(SandboxState.NOT_READY);
    assertThat(status(pod).getConditionsList()).filteredOn(c -> c.getType().equals("Ready"))
        .extracting(c -> c.getReason()).containsExactly("PodCompleted");
    assertThat(status(pod).getPodIp()).as("pod IP kept after the sandbox stopped").startsWith("10.88.");

    resync(pod); // finished for good: nothing starts again
    assertThat(containers(pod, "c")).extracting(ContainerSummary::state).containsOnly(ContainerState.EXITED);
  }

  @Test
  void neverRestartsAndAPodWithAFailedContainerIsFailed() {
    Pod pod = Pods.pod("once", "Never", Pods.container("ok", "true"), Pods.container("bad", "false"));
    sync(pod);
    runtime.exitContainer(runningId(pod, "ok"), 0);
    resync(pod);
    assertThat(status(pod).getPhase()).isEqualTo("Running");

    runtime.exitContainer(runningId(pod, "bad"), 1);
    resync(pod);

    assertThat(status(pod).getPhase()).isEqualTo("Failed");
    assertThat(containerStatus(pod, "bad").getState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(containerStatus(pod, "bad").getRestartCount()).isZero();
    assertThat(sandboxes(pod)).extracting(SandboxSummary::state).containsExactly(SandboxState.NOT_READY);
  }

  @Test
  void neverWithAllContainersSucceededIsSucceeded() {
    Pod pod = Pods.pod("once", "Never", Pods.container("ok", "true"));
    sync(pod);
    runtime.exitContainer(runningId(pod, "ok"), 0);
    resync(pod);
    assertThat(status(pod).getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void deletionStopsContainersWithTheGracePeriodRemovesTheSandboxThenConfirms() {
    Pod pod = Pods.pod("web", "Always", Pods.container("a", "sleep", "3600"), Pods.container("b", "sleep", "3600"));
    sync(pod);
    Pod deleting = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder()
        .setDeletionTimestamp(Timestamps.seconds(clock.instant().plusSeconds(5))).setDeletionGracePeriodSeconds(5))
        .build();
    api.put(pod.getMetadata().getUid(), deleting);

    SyncPlan plan = new PodSync(backoff, io.minik8s.kubelet.probe.ProbeResults.NONE)
        .plan(deleting, new io.minik8s.kubelet.runtime.RuntimePodReader(runtime).read(pod.getMetadata().getUid()));
    assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName())
        .containsExactly("KillContainer", "KillContainer", "StopSandbox", "RemoveSandbox", "ConfirmDeletion");
    assertThat(plan.actionsOf(PodAction.KillContainer.class)).extracting(PodAction.KillContainer::gracePeriodSeconds)
        .containsOnly(5L);

    resync(pod);

    assertThat(sandboxes(pod)).isEmpty();
    assertThat(runtime.listContainers(ContainerFilter.all())).isEmpty();
    assertThat(confirmed).extracting(p -> p.getMetadata().getUid()).containsExactly(pod.getMetadata().getUid());
    assertThat(events).contains("Killing a", "Killing b");
  }

  @Test
  void aPodNoLongerInTheApiHasItsSandboxRemoved() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    api.remove(pod.getMetadata().getUid());

    resync(pod);

    assertThat(sandboxes(pod)).isEmpty();
    assertThat(runtime.listContainers(ContainerFilter.all())).isEmpty();
    assertThat(confirmed).isEmpty();
  }

  @Test
  void aDeadSandboxIsReplacedAndRestartCountsCarryOn() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String first = sandboxes(pod).get(0).id();
    runtime.stopSandbox(first); // the pause process died: the pod's network is gone

    resync(pod);

    SandboxSummary replacement = sandboxes(pod).stream().filter(SandboxSummary::ready).findFirst().orElseThrow();
    assertThat(replacement.id()).isNotEqualTo(first);
    assertThat(replacement.attempt()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getState().hasRunning()).isTrue();

    resync(pod); // the old sandbox goes once the new one has a successor for each of its containers
    assertThat(sandboxes(pod)).extracting(SandboxSummary::id).containsExactly(replacement.id());
  }

  @Test
  void imageNeverPulledAndAbsentWaitsWithErrImageNeverPull() {
    Container c = Pods.container("c", "sleep", "3600").toBuilder().setImage("localhost/absent:1")
        .setImagePullPolicy("Never").build();
    Pod pod = Pods.pod("web", "Always", c);

    Result r = sync(pod);

    assertThat(runtime.pulls()).isEmpty();
    assertThat(containerStatus(pod, "c").getState().getWaiting().getReason()).isEqualTo("ErrImageNeverPull");
    assertThat(status(pod).getPhase()).isEqualTo("Pending");
    assertThat(r.requeueAfter()).isPresent();
  }

  @Test
  void ifNotPresentPullsOnlyAnAbsentImage() {
    Pod present = Pods.pod("a", "Always", Pods.container("c", "sleep", "3600"));
    sync(present);
    assertThat(runtime.pulls()).isEmpty();

    Pod absent = Pods.pod("b", "Always", Pods.container("c", "sleep", "3600").toBuilder()
        .setImage("registry.example/app:1").build());
    sync(absent);
    assertThat(runtime.pulls()).containsExactly("registry.example/app:1");
    assertThat(status(absent).getPhase()).isEqualTo("Running");
  }

  @Test
  void alwaysFallsBackToAPresentImageWhenThePullFailsAndBacksOffAnAbsentOne() {
    runtime.failPullsOf(Pods.IMAGE);
    Pod pod = Pods.pod("a", "Always", Pods.container("c", "sleep", "3600").toBuilder().setImagePullPolicy("Always").build());
    sync(pod);
    assertThat(status(pod).getPhase()).isEqualTo("Running");

    runtime.failPullsOf("registry.example/gone:1");
    Pod gone = Pods.pod("b", "Always", Pods.container("c", "sleep", "3600").toBuilder()
        .setImage("registry.example/gone:1").setImagePullPolicy("Always").build());
    sync(gone);
    assertThat(containerStatus(gone, "c").getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
    resync(gone);
    assertThat(containerStatus(gone, "c").getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(runtime.pulls()).isEmpty(); // FakeRuntime records successful pulls only
  }

  @Test
  void aChangedImageRecreatesTheContainer() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String old = runningId(pod, "c");
    runtime.addImage("localhost/busybox:2");
    Pod updated = pod.toBuilder().setSpec(pod.getSpec().toBuilder().setContainers(0,
        pod.getSpec().getContainers(0).toBuilder().setImage("localhost/busybox:2"))).build();
    api.put(pod.getMetadata().getUid(), updated);

    resync(pod);

    assertThat(runtime.containerStatus(old).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    assertThat(containerStatus(updated, "c").getImage()).isEqualTo("localhost/busybox:2");
    assertThat(containerStatus(updated, "c").getState().hasRunning()).isTrue();
  }

  @Test
  void aContainerFailingItsLivenessProbeIsKilledAndRestarted() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String id = runningId(pod, "c");
    livenessFailures.add(id);

    resync(pod);
    assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    assertThat(events).contains("Killing c");
    resync(pod);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getState().hasRunning()).isTrue();
  }

  @Test
  void aContainerFailingItsStartupProbeIsKilledAndRestarted() {
    Pod pod = Pods.pod("web", "Always", Pods.container("c", "sleep", "3600"));
    sync(pod);
    String id = runningId(pod, "c");
    startupFailures.add(id);

    resync(pod);
    assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    assertThat(events).contains("Killing c");
    resync(pod);
    assertThat(containerStatus(pod, "c").getRestartCount()).isEqualTo(1);
    assertThat(containerStatus(pod, "c").getState().hasRunning()).isTrue();
  }

  @Test
  void aFailedRuntimeCallThrowsSoTheQueueRetriesAndTheNextSyncFinishesTheJob() {
    Pod pod = Pods.pod("web", "Always", Pods.container("a", "sleep", "3600"), Pods.container("b", "sleep", "3600"));
    runtime.failNext("ListPodSandbox", "runtime hiccup");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sync(pod)).hasMessageContaining("runtime hiccup");

    sync(pod);
    assertThat(status(pod).getPhase()).isEqualTo("Running");
    assertThat(sandboxes(pod)).hasSize(1);
  }
}
