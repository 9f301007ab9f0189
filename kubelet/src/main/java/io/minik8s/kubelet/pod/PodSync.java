package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.kubelet.cri.ContainerState;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.probe.ProbeResults;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.restart.RestartPolicy;
import io.minik8s.kubelet.runtime.PodLabels;
import io.minik8s.kubelet.runtime.RuntimeContainer;
import io.minik8s.kubelet.runtime.RuntimePod;
import io.minik8s.kubelet.status.ContainerWaiting;
import io.minik8s.kubelet.status.PodStatusCalculator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what one sync of a pod does: from the desired pod (as the API has it) and the actual pod (as
 * the runtime has it) to a {@link SyncPlan}. Level-based and idempotent: it looks only at the two
 * states (and the crash-loop back-off and the startup and liveness verdicts), never at what happened before, so running
 * it again after a crash, a restart of the kubelet or a missed event gives the right plan. It performs
 * nothing itself; thread-safe.
 *
 * <p>The cases, in the order they are checked (Kubernetes' {@code computePodActions} and
 * {@code killPod}):
 * <ol>
 *   <li>The pod is being deleted: kill every running container with the deletion grace period, stop
 *       and remove its sandboxes, confirm the deletion.</li>
 *   <li>The pod is finished (its phase is Succeeded or Failed, or every container ended and the restart
 *       policy restarts none): stop what still runs and the sandbox; ended containers stay, for status
 *       and logs.</li>
 *   <li>No ready sandbox: kill whatever still runs, create a sandbox (attempt + 1) and start every
 *       container that should run. A Never pod whose sandbox died after its containers ran is not
 *       given a new one.</li>
 *   <li>Ready sandbox, per container: none yet → start (restart count 0); running with a different
 *       spec hash → kill and start anew; running but its startup or liveness probe failed → kill (the
 *       next sync restarts it under the policy); created but never started → remove and start; ended and the
 *       policy restarts it → start with restart count + 1 once the back-off has passed, else report
 *       CrashLoopBackOff and requeue for when it ends. Ended containers older than the newest two of a
 *       name are removed; old sandboxes whose containers all ended are removed once the ready sandbox
 *       has successors for their containers.</li>
 * </ol>
 */
public final class PodSync {
  static final String REASON_DELETED = "pod deleted";
  static final String REASON_GONE = "pod no longer in the API";
  static final String REASON_FINISHED = "pod finished";
  static final String REASON_SANDBOX_CHANGED = "pod sandbox changed, it will be killed and re-created";
  static final String REASON_SPEC_CHANGED = "container definition changed, it will be killed and re-created";
  static final String REASON_LIVENESS = "failed liveness probe, it will be restarted";
  static final String REASON_STARTUP = "failed startup probe, it will be restarted";
  static final String REASON_NOT_IN_SPEC = "container is not in the pod spec";
  /** Ended containers kept per name: the newest (current state) and the one before (lastState, previous logs). */
  static final int KEEP_ENDED_PER_NAME = 2;

  private final RestartBackoff backoff;
  private final ProbeResults probes;

  public PodSync(RestartBackoff backoff, ProbeResults probes) {
    this.backoff = backoff;
    this.probes = probes;
  }

  /** The back-off key of a pod's container. */
  public static String backoffKey(String podUid, String containerName) {
    return podUid + "/" + containerName;
  }

  /** The plan for a pod the API still has. */
  public SyncPlan plan(Pod pod, RuntimePod actual) {
    ObjectMeta m = pod.getMetadata();
    if (m.hasDeletionTimestamp()) {
      long grace = m.hasDeletionGracePeriodSeconds() ? m.getDeletionGracePeriodSeconds()
          : PodSpecs.terminationGracePeriod(pod);
      return terminate(actual, c -> grace, REASON_DELETED, true);
    }
    RestartPolicy policy = RestartPolicy.of(pod.getSpec().getRestartPolicy());
    if (PodStatusCalculator.isTerminal(pod.getStatus().getPhase()) || allEnded(pod, actual, policy)) {
      return stop(actual, PodSpecs.terminationGracePeriod(pod));
    }
    Optional<SandboxInfo> sandbox = actual.latestSandbox();
    if (sandbox.isEmpty() || !sandbox.get().ready()) {
      return newSandbox(pod, actual, policy, sandbox);
    }
    return inSandbox(pod, actual, policy, sandbox.get());
  }

  /**
   * The plan for a pod the API no longer has (deleted while the kubelet was down, or force-deleted):
   * kill its containers with the grace period they were created with and remove everything.
   */
  public SyncPlan planRemoval(RuntimePod actual) {
    return terminate(actual, PodSync::createdGracePeriod, REASON_GONE, false);
  }

  private SyncPlan terminate(RuntimePod actual, java.util.function.ToLongFunction<RuntimeContainer> grace,
      String reason, boolean confirm) {
    List<PodAction> actions = new ArrayList<>();
    for (RuntimeContainer c : actual.running()) {
      actions.add(new PodAction.KillContainer(c.id(), c.name(), grace.applyAsLong(c), reason));
    }
    Set<String> sandboxIds = new HashSet<>();
    for (SandboxInfo s : actual.sandboxes()) {
      actions.add(new PodAction.StopSandbox(s.id()));
      sandboxIds.add(s.id());
    }
    for (RuntimeContainer c : actual.containers()) {
      if (!sandboxIds.contains(c.sandboxId())) {
        actions.add(new PodAction.RemoveContainer(c.id(), c.name())); // its sandbox is already gone
      }
    }
    for (SandboxInfo s : actual.sandboxes()) {
      actions.add(new PodAction.RemoveSandbox(s.id()));
    }
    if (confirm) {
      actions.add(new PodAction.ConfirmDeletion());
    }
    return new SyncPlan("", actions, Map.of(), null);
  }

  /** A finished pod: nothing may run any more, but ended containers stay for status and logs. */
  private SyncPlan stop(RuntimePod actual, long grace) {
    List<PodAction> actions = new ArrayList<>();
    for (RuntimeContainer c : actual.running()) {
      actions.add(new PodAction.KillContainer(c.id(), c.name(), grace, REASON_FINISHED));
    }
    for (SandboxInfo s : actual.sandboxes()) {
      if (s.ready()) {
        actions.add(new PodAction.StopSandbox(s.id()));
      }
    }
    return new SyncPlan("", actions, Map.of(), null);
  }

  private SyncPlan newSandbox(Pod pod, RuntimePod actual, RestartPolicy policy, Optional<SandboxInfo> dead) {
    List<PodAction> actions = new ArrayList<>();
    long grace = PodSpecs.terminationGracePeriod(pod);
    for (RuntimeContainer c : actual.running()) {
      actions.add(new PodAction.KillContainer(c.id(), c.name(), grace, REASON_SANDBOX_CHANGED));
    }
    if (dead.isPresent() && policy == RestartPolicy.NEVER && !actual.containers().isEmpty()) {
      return new SyncPlan("", actions, Map.of(), null);
    }
    actions.add(new PodAction.CreateSandbox(dead.map(s -> s.attempt() + 1).orElse(0)));
    for (Container c : pod.getSpec().getContainersList()) {
      Optional<RuntimeContainer> latest = actual.latest(c.getName());
      if (latest.isPresent() && latest.get().exited() && !policy.restarts(latest.get().status().exitCode())) {
        continue; // it finished for good
      }
      actions.add(new PodAction.StartContainer(c, latest.map(l -> l.attempt() + 1).orElse(0), latest.isPresent()));
    }
    return new SyncPlan("", actions, Map.of(), null);
  }

  private SyncPlan inSandbox(Pod pod, RuntimePod actual, RestartPolicy policy, SandboxInfo sandbox) {
    List<PodAction> actions = new ArrayList<>();
    Map<String, ContainerWaiting> waiting = new LinkedHashMap<>();
    Duration requeue = null;
    long grace = PodSpecs.terminationGracePeriod(pod);
    String uid = pod.getMetadata().getUid();
    Set<String> specNames = new HashSet<>();
    pod.getSpec().getContainersList().forEach(c -> specNames.add(c.getName()));

    for (RuntimeContainer c : actual.running()) {
      if (!specNames.contains(c.name())) {
        actions.add(new PodAction.KillContainer(c.id(), c.name(), grace, REASON_NOT_IN_SPEC));
      } else if (!c.sandboxId().equals(sandbox.id())) {
        actions.add(new PodAction.KillContainer(c.id(), c.name(), grace, REASON_SANDBOX_CHANGED));
      }
    }

    for (Container spec : pod.getSpec().getContainersList()) {
      List<RuntimeContainer> named = actual.containersNamed(spec.getName());
      if (named.isEmpty()) {
        actions.add(new PodAction.StartContainer(spec, 0, false));
        continue;
      }
      RuntimeContainer latest = named.get(0);
      String key = backoffKey(uid, spec.getName());
      switch (latest.state()) {
        case RUNNING -> {
          if (!latest.sandboxId().equals(sandbox.id())) {
            actions.add(new PodAction.StartContainer(spec, latest.attempt() + 1, true));
          } else if (!PodSpecs.hash(spec).equals(latest.annotation(PodLabels.CONTAINER_HASH))) {
            actions.add(new PodAction.KillContainer(latest.id(), latest.name(), grace, REASON_SPEC_CHANGED));
            actions.add(new PodAction.StartContainer(spec, latest.attempt() + 1, false));
          } else if (probes.startupFailed(latest.id())) {
            actions.add(new PodAction.KillContainer(latest.id(), latest.name(), grace, REASON_STARTUP));
          } else if (probes.livenessFailed(latest.id())) {
            actions.add(new PodAction.KillContainer(latest.id(), latest.name(), grace, REASON_LIVENESS));
          }
        }
        case CREATED -> {
          Optional<Duration> wait = backoff.remaining(key, latest.status().createdAt());
          if (wait.isPresent()) {
            waiting.put(spec.getName(), new ContainerWaiting(ContainerWaiting.RUN_CONTAINER_ERROR,
                "back-off " + backoff.current(key).orElse(wait.get()).toSeconds() + "s starting container="
                    + spec.getName()));
            requeue = earlier(requeue, wait.get());
          } else {
            actions.add(new PodAction.RemoveContainer(latest.id(), latest.name()));
            actions.add(new PodAction.StartContainer(spec, latest.attempt(), true));
          }
        }
        case EXITED -> {
          if (policy.restarts(latest.status().exitCode())) {
            Optional<Duration> wait = backoff.remaining(key, latest.status().finishedAt());
            if (wait.isPresent()) {
              waiting.put(spec.getName(), new ContainerWaiting(ContainerWaiting.CRASH_LOOP_BACK_OFF,
                  "back-off " + backoff.current(key).orElse(wait.get()).toSeconds()
                      + "s restarting failed container=" + spec.getName() + " pod=" + pod.getMetadata().getName()
                      + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")"));
              requeue = earlier(requeue, wait.get());
            } else {
              actions.add(new PodAction.StartContainer(spec, latest.attempt() + 1, true));
            }
          }
        }
        default -> {
          actions.add(new PodAction.KillContainer(latest.id(), latest.name(), grace, "container state unknown"));
          actions.add(new PodAction.StartContainer(spec, latest.attempt() + 1, true));
        }
      }
      for (RuntimeContainer old : named.subList(Math.min(named.size(), KEEP_ENDED_PER_NAME), named.size())) {
        if (old.exited()) {
          actions.add(new PodAction.RemoveContainer(old.id(), old.name()));
        }
      }
    }
    actions.addAll(oldSandboxesToRemove(actual, sandbox));
    return new SyncPlan(sandbox.id(), actions, waiting, requeue);
  }

  /**
   * Sandboxes before the ready one, once nothing in them runs and every container in them has a
   * successor in the ready sandbox (so restart counts, which come from the newest container of a name,
   * carry over).
   */
  private static List<PodAction> oldSandboxesToRemove(RuntimePod actual, SandboxInfo current) {
    Set<String> namesInCurrent = new HashSet<>();
    actual.containersIn(current.id()).forEach(c -> namesInCurrent.add(c.name()));
    List<PodAction> actions = new ArrayList<>();
    for (SandboxInfo s : actual.sandboxes()) {
      if (s.id().equals(current.id()) || s.ready()) {
        continue;
      }
      List<RuntimeContainer> in = actual.containersIn(s.id());
      boolean settled = in.stream().allMatch(c -> c.state() == ContainerState.EXITED
          && namesInCurrent.contains(c.name()));
      if (settled) {
        actions.add(new PodAction.RemoveSandbox(s.id()));
      }
    }
    return actions;
  }

  /** Every container has ended and the policy restarts none of them (never true under Always). */
  static boolean allEnded(Pod pod, RuntimePod actual, RestartPolicy policy) {
    if (policy == RestartPolicy.ALWAYS || pod.getSpec().getContainersCount() == 0) {
      return false;
    }
    for (Container c : pod.getSpec().getContainersList()) {
      Optional<RuntimeContainer> latest = actual.latest(c.getName());
      if (latest.isEmpty() || !latest.get().exited() || policy.restarts(latest.get().status().exitCode())) {
        return false;
      }
    }
    return true;
  }

  private static long createdGracePeriod(RuntimeContainer c) {
    try {
      return Long.parseLong(c.annotation(PodLabels.POD_TERMINATION_GRACE_PERIOD));
    } catch (NumberFormatException e) {
      return PodSpecs.DEFAULT_GRACE_SECONDS;
    }
  }

  private static Duration earlier(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
