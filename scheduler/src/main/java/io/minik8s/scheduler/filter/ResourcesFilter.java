package io.minik8s.scheduler.filter;

import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod's requests must fit in what the node has left: allocatable minus the requests of the pods
 * already there (bound or assumed), and one more pod must be allowed. Like Kubernetes' NodeResourcesFit,
 * a resource the pod does not request is not checked, and every shortage is reported, in the order
 * pods, cpu, memory.
 */
public final class ResourcesFilter implements Filter {
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";

  @Override
  public String name() {
    return "Resources";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    List<String> reasons = new ArrayList<>(3);
    if (node.pods().size() + 1 > node.allowedPods()) {
      reasons.add(TOO_MANY_PODS);
    }
    Resources want = pod.requests();
    Resources free = node.allocatable().minus(node.requested());
    if (want.milliCpu() > 0 && want.milliCpu() > free.milliCpu()) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (want.memoryBytes() > 0 && want.memoryBytes() > free.memoryBytes()) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    return reasons.isEmpty() ? FilterResult.fits() : FilterResult.unschedulable(reasons);
  }
}
