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
    Resources want = pod.requests();
    Resources free = node.free();
    boolean tooMany = node.pods().size() + 1 > node.allowedPods();
    boolean cpu = want.milliCpu() > 0 && want.milliCpu() > free.milliCpu();
    boolean memory = want.memoryBytes() > 0 && want.memoryBytes() > free.memoryBytes();
    if (!tooMany && !cpu && !memory) {
      return FilterResult.fits(); // the common case allocates nothing
    }
    List<String> reasons = new ArrayList<>(3);
    if (tooMany) {
      reasons.add(TOO_MANY_PODS);
    }
    if (cpu) {
      reasons.add(INSUFFICIENT_CPU);
    }
    if (memory) {
      reasons.add(INSUFFICIENT_MEMORY);
    }
    return FilterResult.unschedulable(reasons);
  }
}
