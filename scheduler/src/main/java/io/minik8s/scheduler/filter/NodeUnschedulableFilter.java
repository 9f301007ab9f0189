package io.minik8s.scheduler.filter;

import io.minik8s.api.Taint;
import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;

/**
 * A cordoned node ({@code spec.unschedulable}) takes no new pods, unless the pod tolerates
 * {@code node.kubernetes.io/unschedulable:NoSchedule}.
 */
public final class NodeUnschedulableFilter implements Filter {
  public static final String REASON = "node(s) were unschedulable";
  static final Taint UNSCHEDULABLE =
      TolerationMatcher.taint("node.kubernetes.io/unschedulable", TolerationMatcher.NO_SCHEDULE);

  @Override
  public String name() {
    return "NodeUnschedulable";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    if (!node.node().getSpec().getUnschedulable() || TolerationMatcher.tolerated(pod.tolerations(), UNSCHEDULABLE)) {
      return FilterResult.fits();
    }
    return FilterResult.unschedulable(REASON);
  }
}
