package io.minik8s.apiserver.registry.pods;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.registry.DeletionPolicy;
import io.minik8s.apiserver.registry.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * Pods on a node are deleted gracefully, as in Kubernetes: the delete sets {@code deletionTimestamp}
 * to now + grace period and the pod stays until its kubelet has stopped the containers and confirms
 * with a delete of grace period 0. Pods that never reached a node, or have finished, go at once.
 * A later delete may shorten the grace period, never lengthen it. Finalizers hold a pod as any object.
 */
public final class GracefulPodDeletion implements DeletionPolicy<Pod> {
  private static final long DEFAULT_GRACE_SECONDS = 30;

  @Override
  public Optional<Pod> markForDeletion(Pod pod, Long requested, Instant now) {
    ObjectMeta meta = pod.getMetadata();
    long grace = requested != null ? Math.max(0, requested)
        : pod.getSpec().hasTerminationGracePeriodSeconds() ? pod.getSpec().getTerminationGracePeriodSeconds()
        : DEFAULT_GRACE_SECONDS;
    String phase = pod.getStatus().getPhase();
    if (pod.getSpec().getNodeName().isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
      grace = 0;
    }
    if (grace == 0 && meta.getFinalizersCount() == 0) {
      return Optional.empty();
    }
    if (meta.hasDeletionTimestamp() && meta.getDeletionGracePeriodSeconds() <= grace) {
      return Optional.of(pod);
    }
    return Optional.of(pod.toBuilder().setMetadata(meta.toBuilder()
        .setDeletionTimestamp(Timestamps.seconds(now.plusSeconds(grace)))
        .setDeletionGracePeriodSeconds(grace)).build());
  }

  @Override
  public boolean waitsForConfirmation(Pod pod) {
    return pod.getMetadata().getDeletionGracePeriodSeconds() > 0;
  }
}
