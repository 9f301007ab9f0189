package io.minik8s.scheduler.filter;

import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.HostPort;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;

/**
 * No {@code hostPort} the pod asks for may be taken on the node by another pod (same port and
 * protocol, and the same address or either one the wildcard {@code 0.0.0.0}).
 */
public final class HostPortsFilter implements Filter {
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return "HostPorts";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    for (HostPort wanted : pod.hostPorts()) {
      for (HostPort used : node.usedPorts()) {
        if (wanted.conflictsWith(used)) {
          return FilterResult.unschedulable(REASON);
        }
      }
    }
    return FilterResult.fits();
  }
}
