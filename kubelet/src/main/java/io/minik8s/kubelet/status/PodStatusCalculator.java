package io.minik8s.kubelet.status;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStateWaiting;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.HostIP;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodIP;
import io.minik8s.api.PodStatus;
import io.minik8s.kubelet.Timestamps;
import io.minik8s.kubelet.cri.ContainerInfo;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.probe.ProbeResults;
import io.minik8s.kubelet.restart.RestartPolicy;
import io.minik8s.kubelet.runtime.RuntimeContainer;
import io.minik8s.kubelet.runtime.RuntimePod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a pod's status from its spec and what the runtime has of it, as Kubernetes' kubelet does
 * ({@code generateAPIPodStatus}). A pure function of its inputs: no clock, no I/O.
 *
 * <p>Rules:
 * <ul>
 *   <li>Each spec container's status comes from its newest runtime container: running, terminated,
 *       or waiting. An exited container that the restart policy will start again is shown waiting
 *       (the sync's reason, else {@code CrashLoopBackOff}) with the exit as {@code lastState}; a
 *       running one shows the previous exit as {@code lastState}. No container yet: waiting with the
 *       sync's reason (image errors) or {@code ContainerCreating}. {@code restartCount} is the
 *       container's CRI attempt.</li>
 *   <li>Phase as Kubernetes' {@code getPhase}: any container waiting for its first start → Pending;
 *       any running → Running; all ended → Running under Always (restarting), Succeeded when all
 *       exited 0, Failed under Never, Running under OnFailure. A terminal phase never changes
 *       again.</li>
 *   <li>A running container is {@code started} once its startup probe succeeded (at once without
 *       one), and {@code ready} when started and, if it has a readiness probe, that probe's last
 *       verdict is true. Ready and ContainersReady: every container ready. Initialized and
 *       PodScheduled are True.</li>
 *   <li>podIP is the ready sandbox's (the node's for host-network pods). Condition transition times,
 *       startTime, podIP (once the sandbox is gone), qosClass and nominatedNodeName carry over from
 *       {@code previous}.</li>
 * </ul>
 */
public final class PodStatusCalculator {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  private final String hostIp;
  private final String runtimeName;

  /**
   * @param hostIp the node's IP, reported as hostIP
   * @param runtimeName prefix of container ids, e.g. "containerd" for {@code containerd://<id>}
   */
  public PodStatusCalculator(String hostIp, String runtimeName) {
    this.hostIp = Objects.requireNonNull(hostIp, "hostIp");
    this.runtimeName = Objects.requireNonNull(runtimeName, "runtimeName");
  }

  public static boolean isTerminal(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }

  /**
   * @param pod the pod as desired (spec) with the status last seen in the API
   * @param actual what the runtime has of it now
   * @param previous the status last reported (times carry over from it)
   * @param waiting per container name, why the last sync could not run it (image errors, back-off)
   * @param probes readiness verdicts by container id
   * @param now the time to stamp changed conditions and a first startTime with
   */
  public PodStatus compute(Pod pod, RuntimePod actual, PodStatus previous, Map<String, ContainerWaiting> waiting,
      ProbeResults probes, Instant now) {
    RestartPolicy policy = RestartPolicy.of(pod.getSpec().getRestartPolicy());
    boolean previouslyTerminal = isTerminal(previous.getPhase());
    boolean deleting = pod.getMetadata().hasDeletionTimestamp();

    List<ContainerStatus> statuses = new ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      statuses.add(containerStatus(c, actual.containersNamed(c.getName()), policy,
          previouslyTerminal || deleting, previousStatus(previous, c.getName()), waiting, probes));
    }

    String phase = previouslyTerminal ? previous.getPhase() : phase(statuses, policy);
    PodStatus.Builder b = PodStatus.newBuilder()
        .setPhase(phase)
        .setQosClass(previous.getQosClass())
        .setNominatedNodeName(previous.getNominatedNodeName())
        .setStartTime(previous.hasStartTime() ? previous.getStartTime() : Timestamps.seconds(now))
        .addAllContainerStatuses(statuses);
    if (!hostIp.isEmpty()) {
      b.setHostIp(hostIp).addHostIps(HostIP.newBuilder().setIp(hostIp));
    }
    // A host-network pod has the node's address; others the sandbox's, kept after the sandbox stops.
    String podIp = pod.getSpec().getHostNetwork() ? hostIp
        : actual.latestSandbox().filter(SandboxInfo::ready).map(SandboxInfo::ip).orElse("");
    if (podIp.isEmpty()) {
      podIp = previous.getPodIp();
    }
    if (!podIp.isEmpty()) {
      b.setPodIp(podIp).addPodIps(PodIP.newBuilder().setIp(podIp));
    }

    List<String> unready = statuses.stream().filter(s -> !s.getReady()).map(ContainerStatus::getName).toList();
    boolean terminal = isTerminal(phase);
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = terminal ? "" : "containers with unready status: [" + String.join(" ", unready) + "]";
    boolean ready = unready.isEmpty() && !terminal;
    b.addConditions(condition(previous, "Initialized", true, "", "", now));
    b.addConditions(condition(previous, "Ready", ready, notReadyReason, notReadyMessage, now));
    b.addConditions(condition(previous, "ContainersReady", ready, notReadyReason, notReadyMessage, now));
    b.addConditions(condition(previous, "PodScheduled", true, "", "", now));
    return b.build();
  }

  private ContainerStatus containerStatus(Container spec, List<RuntimeContainer> newestFirst, RestartPolicy policy,
      boolean podFinishing, Optional<ContainerStatus> previous, Map<String, ContainerWaiting> waiting,
      ProbeResults probes) {
    ContainerStatus.Builder b = ContainerStatus.newBuilder().setName(spec.getName()).setImage(spec.getImage())
        .setStarted(false).setReady(false);
    ContainerWaiting syncWaiting = waiting.get(spec.getName());
    if (newestFirst.isEmpty()) {
      if (podFinishing && previous.isPresent()) {
        return previous.get(); // its containers are gone (removed, or the runtime lost them): keep the last word
      }
      ContainerWaiting w = syncWaiting != null ? syncWaiting
          : new ContainerWaiting(ContainerWaiting.CONTAINER_CREATING, "");
      previous.ifPresent(p -> b.setRestartCount(p.getRestartCount()).setLastState(p.getLastState()));
      return b.setState(waiting(w)).build();
    }
    RuntimeContainer latest = newestFirst.get(0);
    Optional<RuntimeContainer> before = newestFirst.stream().skip(1).filter(RuntimeContainer::exited).findFirst();
    ContainerInfo info = latest.status();
    b.setRestartCount(latest.attempt()).setImageId(info.imageRef())
        .setContainerId(runtimeName + "://" + latest.id());
    switch (info.state()) {
      case RUNNING -> {
        b.setState(ContainerState.newBuilder().setRunning(ContainerStateRunning.newBuilder()
            .setStartedAt(Timestamps.seconds(Objects.requireNonNullElse(info.startedAt(), info.createdAt())))));
        before.ifPresent(p -> b.setLastState(terminated(p)));
        boolean started = !spec.hasStartupProbe() || probes.started(latest.id());
        b.setStarted(started);
        b.setReady(started && (!spec.hasReadinessProbe() || probes.readiness(latest.id()).orElse(false)));
      }
      case EXITED -> {
        if (!podFinishing && policy.restarts(info.exitCode())) {
          b.setState(waiting(syncWaiting != null ? syncWaiting
              : new ContainerWaiting(ContainerWaiting.CRASH_LOOP_BACK_OFF, "")));
          b.setLastState(terminated(latest));
        } else {
          b.setState(terminated(latest));
          before.ifPresent(p -> b.setLastState(terminated(p)));
        }
      }
      case CREATED -> {
        b.setState(waiting(syncWaiting != null ? syncWaiting
            : new ContainerWaiting(ContainerWaiting.CONTAINER_CREATING, "")));
        before.ifPresent(p -> b.setLastState(terminated(p)));
      }
      default -> b.setState(waiting(new ContainerWaiting("ContainerStatusUnknown",
          "the container runtime cannot tell this container's state")));
    }
    return b.build();
  }

  private ContainerState terminated(RuntimeContainer c) {
    ContainerInfo info = c.status();
    String reason = !info.reason().isEmpty() ? info.reason() : info.exitCode() == 0 ? "Completed" : "Error";
    ContainerStateTerminated.Builder t = ContainerStateTerminated.newBuilder()
        .setExitCode(info.exitCode())
        .setReason(reason)
        .setMessage(info.message())
        .setContainerId(runtimeName + "://" + c.id());
    if (info.startedAt() != null) {
      t.setStartedAt(Timestamps.seconds(info.startedAt()));
    }
    if (info.finishedAt() != null) {
      t.setFinishedAt(Timestamps.seconds(info.finishedAt()));
    }
    return ContainerState.newBuilder().setTerminated(t).build();
  }

  private static ContainerState waiting(ContainerWaiting w) {
    return ContainerState.newBuilder()
        .setWaiting(ContainerStateWaiting.newBuilder().setReason(w.reason()).setMessage(w.message())).build();
  }

  /** Kubernetes' getPhase for pods without init containers. */
  static String phase(List<ContainerStatus> statuses, RestartPolicy policy) {
    int waiting = 0;
    int running = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : statuses) {
      if (s.getState().hasRunning()) {
        running++;
      } else if (s.getState().hasTerminated()) {
        stopped++;
        if (s.getState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState().hasTerminated()) {
        stopped++; // between two runs
      } else {
        waiting++;
      }
    }
    if (waiting > 0) {
      return PENDING;
    }
    if (running > 0) {
      return RUNNING;
    }
    if (stopped > 0) {
      if (policy == RestartPolicy.ALWAYS) {
        return RUNNING;
      }
      if (stopped == succeeded) {
        return SUCCEEDED;
      }
      return policy == RestartPolicy.NEVER ? FAILED : RUNNING;
    }
    return PENDING;
  }

  private static PodCondition condition(PodStatus previous, String type, boolean value, String reason,
      String message, Instant now) {
    String status = value ? "True" : "False";
    PodCondition.Builder c = PodCondition.newBuilder().setType(type).setStatus(status);
    if (!value) {
      c.setReason(reason).setMessage(message);
    }
    Optional<PodCondition> old = previous.getConditionsList().stream().filter(p -> p.getType().equals(type)).findFirst();
    if (old.isPresent() && old.get().getStatus().equals(status) && old.get().hasLastTransitionTime()) {
      c.setLastTransitionTime(old.get().getLastTransitionTime());
    } else {
      c.setLastTransitionTime(Timestamps.seconds(now));
    }
    return c.build();
  }

  private static Optional<ContainerStatus> previousStatus(PodStatus previous, String name) {
    return previous.getContainerStatusesList().stream().filter(s -> s.getName().equals(name)).findFirst();
  }
}
