package io.minik8s.scheduler.filter;

import io.minik8s.api.Taint;
import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;

/**
 * The node must report the {@code Ready} condition {@code True}. A pod that tolerates the taint
 * Kubernetes' node controller would put on such a node ({@code node.kubernetes.io/not-ready}, or
 * {@code node.kubernetes.io/unreachable} when the status is Unknown, with effect NoSchedule) may go
 * there anyway, as DaemonSet pods do.
 */
public final class NodeReadyFilter implements Filter {
  public static final String REASON = "node(s) were not ready";
  static final Taint NOT_READY = TolerationMatcher.taint("node.kubernetes.io/not-ready", TolerationMatcher.NO_SCHEDULE);
  static final Taint UNREACHABLE = TolerationMatcher.taint("node.kubernetes.io/unreachable", TolerationMatcher.NO_SCHEDULE);

  @Override
  public String name() {
    return "NodeReady";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    String status = node.readyStatus();
    if (status.equals("True")) {
      return FilterResult.fits();
    }
    Taint implied = status.equals("Unknown") ? UNREACHABLE : NOT_READY;
    return TolerationMatcher.tolerated(pod.tolerations(), implied) ? FilterResult.fits()
        : FilterResult.unschedulable(REASON);
  }
}
