package io.minik8s.scheduler.report;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodStatus;
import java.time.Instant;
import java.util.Optional;

/** The {@code PodScheduled} condition the scheduler writes on a pod it cannot place. */
public final class PodConditions {
  public static final String POD_SCHEDULED = "PodScheduled";
  public static final String UNSCHEDULABLE = "Unschedulable";

  private PodConditions() {}

  /**
   * {@code pod} with {@code PodScheduled=False, reason Unschedulable, message}, or empty when it
   * already says exactly that (so an unchanged verdict is not written again). The transition time
   * is kept when the status was False already, as Kubernetes does.
   */
  public static Optional<Pod> withUnschedulable(Pod pod, String message, Instant now) {
    PodStatus status = pod.getStatus();
    int index = -1;
    for (int i = 0; i < status.getConditionsCount(); i++) {
      if (status.getConditions(i).getType().equals(POD_SCHEDULED)) {
        index = i;
        break;
      }
    }
    PodCondition old = index < 0 ? null : status.getConditions(index);
    if (old != null && old.getStatus().equals("False") && old.getReason().equals(UNSCHEDULABLE)
        && old.getMessage().equals(message)) {
      return Optional.empty();
    }
    Timestamp transition = old != null && old.getStatus().equals("False") && old.hasLastTransitionTime()
        ? old.getLastTransitionTime()
        : Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    PodCondition condition = PodCondition.newBuilder().setType(POD_SCHEDULED).setStatus("False")
        .setReason(UNSCHEDULABLE).setMessage(message).setLastTransitionTime(transition).build();
    PodStatus.Builder b = status.toBuilder();
    if (index < 0) {
      b.addConditions(condition);
    } else {
      b.setConditions(index, condition);
    }
    return Optional.of(pod.toBuilder().setStatus(b).build());
  }
}
