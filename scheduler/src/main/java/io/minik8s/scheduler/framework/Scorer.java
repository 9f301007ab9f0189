package io.minik8s.scheduler.framework;

import java.util.List;

/**
 * Ranks the nodes a pod fits on (Kubernetes' score plugins): {@link #score} gives each feasible node
 * a raw score, {@link #normalize} may then rescale all of them at once (for scores that depend on the
 * other nodes, such as spreading), so that every score ends in {@code 0..}{@link #MAX_SCORE}.
 * Pure functions of the pod and the snapshot.
 */
public interface Scorer {
  long MAX_SCORE = 100;

  String name();

  long score(PodInfo pod, NodeInfo node);

  /**
   * Rescales {@code scores} in place; {@code scores[i]} belongs to {@code nodes.get(i)}. The default
   * leaves them as they are (scores already in {@code 0..MAX_SCORE}).
   */
  default void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {}
}
