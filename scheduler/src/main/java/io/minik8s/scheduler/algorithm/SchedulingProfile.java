package io.minik8s.scheduler.algorithm;

import io.minik8s.scheduler.filter.HostPortsFilter;
import io.minik8s.scheduler.filter.NodeReadyFilter;
import io.minik8s.scheduler.filter.NodeSelectorFilter;
import io.minik8s.scheduler.filter.NodeUnschedulableFilter;
import io.minik8s.scheduler.filter.ResourcesFilter;
import io.minik8s.scheduler.filter.TaintTolerationFilter;
import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.WeightedScorer;
import io.minik8s.scheduler.score.BalancedAllocationScorer;
import io.minik8s.scheduler.score.LeastRequestedScorer;
import io.minik8s.scheduler.score.SelectorSpreadScorer;
import java.util.List;

/**
 * The filters (in the order they run: the first that rejects a node gives its reason) and the
 * weighted scorers of one scheduler.
 */
public record SchedulingProfile(List<Filter> filters, List<WeightedScorer> scorers) {
  public SchedulingProfile {
    filters = List.copyOf(filters);
    scorers = List.copyOf(scorers);
  }

  /**
   * Kubernetes' order for the filters (readiness first, then cordon, taints, selector, ports,
   * resources) and weights in the spirit of its defaults: spreading a controller's pods counts twice
   * as much as each resource scorer.
   */
  public static SchedulingProfile defaults() {
    return new SchedulingProfile(
        List.of(new NodeReadyFilter(), new NodeUnschedulableFilter(), new TaintTolerationFilter(),
            new NodeSelectorFilter(), new HostPortsFilter(), new ResourcesFilter()),
        List.of(new WeightedScorer(new LeastRequestedScorer(), 1),
            new WeightedScorer(new BalancedAllocationScorer(), 1),
            new WeightedScorer(new SelectorSpreadScorer(), 2)));
  }
}
