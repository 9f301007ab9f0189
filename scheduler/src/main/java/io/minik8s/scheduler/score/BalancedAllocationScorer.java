package io.minik8s.scheduler.score;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resources;
import io.minik8s.scheduler.framework.Scorer;

/**
 * Prefers the node whose CPU and memory would be used in the same proportion after placing the pod,
 * so that neither runs out while the other sits idle: with {@code f} the requested fraction of each
 * (capped at 1), the score is {@code (1 - |f_cpu - f_memory| / 2) * 100} (one minus the standard
 * deviation of the two fractions). Real requests count here, not the defaults, as in Kubernetes.
 */
public final class BalancedAllocationScorer implements Scorer {
  @Override
  public String name() {
    return "BalancedAllocation";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    Resources onNode = node.requested();
    Resources wanted = pod.requests();
    Resources allocatable = node.allocatable();
    double cpu = fraction(onNode.milliCpu() + wanted.milliCpu(), allocatable.milliCpu());
    double memory = fraction(onNode.memoryBytes() + wanted.memoryBytes(), allocatable.memoryBytes());
    double deviation = Math.abs(cpu - memory) / 2;
    return (long) ((1 - deviation) * MAX_SCORE);
  }

  static double fraction(long requested, long capacity) {
    if (capacity <= 0) {
      return 1;
    }
    return Math.min(1.0, (double) requested / capacity);
  }
}
