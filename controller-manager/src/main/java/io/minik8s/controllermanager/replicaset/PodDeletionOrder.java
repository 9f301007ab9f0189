package io.minik8s.controllermanager.replicaset;

import io.minik8s.api.Pod;
import io.minik8s.controllermanager.pod.PodState;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * The order in which a scaled-down ReplicaSet deletes its pods, first to go first, as Kubernetes ranks
 * them: not yet scheduled before scheduled; Pending before Unknown before Running; not ready before
 * ready; ready for less time before ready for longer; more container restarts before fewer; newer
 * before older. Ties keep the list order (the sort is stable).
 */
final class PodDeletionOrder implements Comparator<Pod> {
  static final PodDeletionOrder INSTANCE = new PodDeletionOrder();

  private static final Map<String, Integer> PHASE_RANK = Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  private PodDeletionOrder() {}

  @Override
  public int compare(Pod a, Pod b) {
    int c = Boolean.compare(scheduled(a), scheduled(b));
    if (c != 0) {
      return c;
    }
    c = Integer.compare(phaseRank(a), phaseRank(b));
    if (c != 0) {
      return c;
    }
    c = Boolean.compare(PodState.isReady(a), PodState.isReady(b));
    if (c != 0) {
      return c;
    }
    if (PodState.isReady(a)) {
      c = readySince(b).compareTo(readySince(a)); // ready more recently goes first
      if (c != 0) {
        return c;
      }
    }
    c = Integer.compare(restarts(b), restarts(a));
    if (c != 0) {
      return c;
    }
    return created(b).compareTo(created(a));
  }

  private static boolean scheduled(Pod p) {
    return !p.getSpec().getNodeName().isEmpty();
  }

  private static int phaseRank(Pod p) {
    return PHASE_RANK.getOrDefault(p.getStatus().getPhase(), 0);
  }

  private static Instant readySince(Pod p) {
    return PodState.readyCondition(p).filter(r -> r.hasLastTransitionTime())
        .map(r -> PodState.instant(r.getLastTransitionTime())).orElse(Instant.EPOCH);
  }

  private static int restarts(Pod p) {
    return p.getStatus().getContainerStatusesList().stream().mapToInt(s -> s.getRestartCount()).sum();
  }

  private static Instant created(Pod p) {
    return PodState.instant(p.getMetadata().getCreationTimestamp());
  }
}
