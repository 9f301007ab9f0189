package io.minik8s.client.printers;

import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;

/**
 * The READY, STATUS and RESTARTS cells of a pod, by kubectl's rules.
 *
 * <p>STATUS starts from the phase (or the pod's status reason when set); then, looking at the
 * containers from last to first so that the first container's state wins, a waiting container's
 * reason ({@code ContainerCreating}, {@code CrashLoopBackOff}), a terminated one's reason
 * ({@code Completed}, {@code Error}) or, without a reason, {@code Signal:N} / {@code ExitCode:N}.
 * A pod reported {@code Completed} while a container still runs shows {@code Running} (or
 * {@code NotReady}). A pod being deleted shows {@code Terminating} ({@code Unknown} when its node
 * is unreachable). READY counts containers that are ready and running; RESTARTS sums restart counts.
 */
public final class PodStatusColumn {
  private static final String NODE_UNREACHABLE_REASON = "NodeLost";

  private PodStatusColumn() {}

  public static String status(Pod pod) {
    String reason = pod.getStatus().getPhase();
    if (!pod.getStatus().getReason().isEmpty()) {
      reason = pod.getStatus().getReason();
    }
    boolean hasRunning = false;
    for (int i = pod.getStatus().getContainerStatusesCount() - 1; i >= 0; i--) {
      ContainerStatus container = pod.getStatus().getContainerStatuses(i);
      ContainerState state = container.getState();
      if (state.hasWaiting() && !state.getWaiting().getReason().isEmpty()) {
        reason = state.getWaiting().getReason();
      } else if (state.hasTerminated() && !state.getTerminated().getReason().isEmpty()) {
        reason = state.getTerminated().getReason();
      } else if (state.hasTerminated()) {
        reason = state.getTerminated().getSignal() != 0
            ? "Signal:" + state.getTerminated().getSignal()
            : "ExitCode:" + state.getTerminated().getExitCode();
      } else if (container.getReady() && state.hasRunning()) {
        hasRunning = true;
      }
    }
    if (reason.equals("Completed") && hasRunning) {
      reason = hasReadyCondition(pod) ? "Running" : "NotReady";
    }
    if (pod.getMetadata().hasDeletionTimestamp()) {
      reason = NODE_UNREACHABLE_REASON.equals(pod.getStatus().getReason()) ? "Unknown" : "Terminating";
    }
    // A pod nobody has reported on yet is waiting to be scheduled or started.
    return reason.isEmpty() ? "Pending" : reason;
  }

  /** {@code ready/total}: containers ready and running over containers in the spec. */
  public static String ready(Pod pod) {
    int ready = 0;
    for (ContainerStatus container : pod.getStatus().getContainerStatusesList()) {
      if (container.getReady() && container.getState().hasRunning()) {
        ready++;
      }
    }
    return ready + "/" + pod.getSpec().getContainersCount();
  }

  public static String restarts(Pod pod) {
    int restarts = 0;
    for (ContainerStatus container : pod.getStatus().getContainerStatusesList()) {
      restarts += container.getRestartCount();
    }
    return Integer.toString(restarts);
  }

  private static boolean hasReadyCondition(Pod pod) {
    for (PodCondition condition : pod.getStatus().getConditionsList()) {
      if (condition.getType().equals("Ready") && condition.getStatus().equals("True")) {
        return true;
      }
    }
    return false;
  }
}
