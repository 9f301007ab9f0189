package io.minik8s.controllermanager.pod;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What controllers read from a pod's status, as Kubernetes' podutil defines it. Stateless. */
public final class PodState {
  private PodState() {}

  /** Neither finished (Succeeded, Failed) nor being deleted: a pod that counts as one of the replicas. */
  public static boolean isActive(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return !phase.equals("Succeeded") && !phase.equals("Failed") && !pod.getMetadata().hasDeletionTimestamp();
  }

  /** The Ready condition, if the kubelet has written one. */
  public static Optional<PodCondition> readyCondition(Pod pod) {
    return pod.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst();
  }

  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> c.getStatus().equals("True")).orElse(false);
  }

  /**
   * Ready for at least {@code minReadySeconds} at {@code now}, counted from the Ready condition's
   * lastTransitionTime (a Ready pod without one counts as available at once, as Kubernetes).
   */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    Optional<PodCondition> ready = readyCondition(pod);
    if (ready.isEmpty() || !ready.get().getStatus().equals("True")) {
      return false;
    }
    if (minReadySeconds <= 0 || !ready.get().hasLastTransitionTime()) {
      return true;
    }
    return !instant(ready.get().getLastTransitionTime()).plus(Duration.ofSeconds(minReadySeconds)).isAfter(now);
  }

  public static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
