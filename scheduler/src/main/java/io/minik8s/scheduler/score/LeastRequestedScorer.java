package io.minik8s.scheduler.score;

import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resources;
import io.minik8s.scheduler.framework.Scorer;

/**
 * Prefers the node with the most room left after placing the pod: per resource
 * {@code (allocatable - requested) * 100 / allocatable}, CPU and memory weighted equally. Requests
 * count with Kubernetes' defaults for containers that request nothing (100m, 200Mi), so pods without
 * requests still spread. A resource the node lacks (allocatable 0) or would be over-committed on
 * scores 0.
 */
public final class LeastRequestedScorer implements Scorer {
  @Override
  public String name() {
    return "LeastRequested";
  }

  @Override
  public long score(PodInfo pod, NodeInfo node) {
    Resources onNode = node.nonZeroRequested();
    Resources wanted = pod.nonZeroRequests();
    Resources allocatable = node.allocatable();
    return (leastRequested(onNode.milliCpu() + wanted.milliCpu(), allocatable.milliCpu())
        + leastRequested(onNode.memoryBytes() + wanted.memoryBytes(), allocatable.memoryBytes())) / 2;
  }

  static long leastRequested(long requested, long capacity) {
    if (capacity <= 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_SCORE / capacity;
  }
}
