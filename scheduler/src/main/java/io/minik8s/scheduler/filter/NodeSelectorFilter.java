package io.minik8s.scheduler.filter;

import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.util.Map;

/** Every {@code spec.nodeSelector} entry must be a label of the node with that exact value. */
public final class NodeSelectorFilter implements Filter {
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return "NodeSelector";
  }

  @Override
  public FilterResult filter(PodInfo pod, NodeInfo node) {
    if (pod.nodeSelector().isEmpty()) {
      return FilterResult.fits();
    }
    Map<String, String> labels = node.node().getMetadata().getLabelsMap();
    for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return FilterResult.unschedulable(REASON);
      }
    }
    return FilterResult.fits();
  }
}
