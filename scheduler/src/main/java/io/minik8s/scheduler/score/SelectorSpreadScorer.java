package io.minik8s.scheduler.score;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Scorer;
import java.util.List;

/**
 * Spreads the pods of one controller (the owner reference marked {@code controller}, e.g. a
 * ReplicaSet) over the nodes: the raw score is how many of its pods a node already has, normalized
 * to {@code 100 * (max - count) / max} so the node with the fewest scores highest. A pod without a
 * controller scores 100 everywhere (no preference).
 */
public final class SelectorSpreadScorer implements Scorer {
  @Override
  public String name() {
    return "SelectorSpread";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    String owner = pod.controllerUid();
    if (owner.isEmpty()) {
      return 0;
    }
    long count = 0;
    for (PodInfo p : node.pods()) {
      if (owner.equals(p.controllerUid()) && p.namespace().equals(pod.namespace()) && !p.uid().equals(pod.uid())) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void normalize(PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = max == 0 ? MAX_SCORE : MAX_SCORE * (max - scores[i]) / max;
    }
  }
}
