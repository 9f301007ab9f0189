package io.minik8s.kubelet.pod;

import io.minik8s.kubelet.status.ContainerWaiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync of a pod does: its actions in order, and what it knows without doing anything.
 *
 * @param sandboxId the ready sandbox new containers go into; "" when the plan creates one (or starts none)
 * @param actions the steps, in the order they must run
 * @param waiting containers that are not started now, and why (e.g. CrashLoopBackOff)
 * @param requeueAfter when to sync again even if nothing changes (a back-off ends); null: no need
 */
public record SyncPlan(String sandboxId, List<PodAction> actions, Map<String, ContainerWaiting> waiting,
                       Duration requeueAfter) {

  public SyncPlan {
    actions = List.copyOf(actions);
    waiting = Map.copyOf(waiting);
  }

  public static SyncPlan nothing() {
    return new SyncPlan("", List.of(), Map.of(), null);
  }

  public Optional<Duration> requeue() {
    return Optional.ofNullable(requeueAfter);
  }

  /** Whether it ends with the API server being told the pod is gone. */
  public boolean confirmsDeletion() {
    return actions.stream().anyMatch(a -> a instanceof PodAction.ConfirmDeletion);
  }

  public <T extends PodAction> List<T> actionsOf(Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
