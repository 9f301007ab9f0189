package io.minik8s.scheduler.filter;

import io.minik8s.api.Taint;
import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.util.Optional;

/**
 * Every NoSchedule and NoExecute taint of the node must be tolerated by the pod (PreferNoSchedule
 * taints do not filter). The reason names the first untolerated taint, as Kubernetes does:
 * {@code node(s) had untolerated taint {key: value}}.
 */
public final class TaintTolerationFilter implements Filter {
  @Override
  public String name() {
    return "TaintToleration";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    Optional<Taint> untolerated =
        TolerationMatcher.firstUntoleratedScheduleTaint(node.node().getSpec().getTaintsList(), pod.tolerations());
    return untolerated.map(t -> FilterResult.unschedulable(reason(t))).orElse(FilterResult.fits());
  }

  public static String reason(Taint t) {
    return "node(s) had untolerated taint {" + t.getKey() + ": " + t.getValue() + "}";
  }
}
