package io.minik8s.scheduler.algorithm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod fits no node: how many nodes there were and how many were rejected for each reason. A node
 * rejected by a filter with several reasons (say both "Insufficient cpu" and "Insufficient memory")
 * counts once for each. Immutable.
 */
public final class FitError {
  /** Kubernetes' message when the cluster has no node at all. */
  public static final String NO_NODES = "no nodes available to schedule pods";

  private final int numAllNodes;
  private final Map<String, Integer> reasonCounts;

  private FitError(int numAllNodes, Map<String, Integer> reasonCounts) {
    this.numAllNodes = numAllNodes;
    this.reasonCounts = Collections.unmodifiableMap(new TreeMap<>(reasonCounts));
  }

  public static FitError of(int numAllNodes, Map<String, Integer> reasonCounts) {
    return new FitError(numAllNodes, reasonCounts);
  }

  public static FitError noNodes() {
    return new FitError(0, Map.of());
  }

  public int numAllNodes() {
    return numAllNodes;
  }

  /** Reason → number of nodes rejected for it. */
  public Map<String, Integer> reasonCounts() {
    return reasonCounts;
  }

  /**
   * The message in Kubernetes' form, e.g. {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s)
   * had untolerated taint {node-role.kubernetes.io/control-plane: }.} Like Kubernetes, the
   * {@code "<count> <reason>"} items are sorted as plain strings (so "10 x" comes before "2 y"), which
   * keeps the message stable from one attempt to the next. Kubernetes' trailing preemption sentence
   * is left out: minik8s does not preempt.
   */
  public String message() {
    if (numAllNodes == 0) {
      return NO_NODES;
    }
    List<String> items = new ArrayList<>(reasonCounts.size());
    reasonCounts.forEach((reason, count) -> items.add(count + " " + reason));
    Collections.sort(items);
    StringBuilder b = new StringBuilder("0/").append(numAllNodes).append(" nodes are available");
    if (!items.isEmpty()) {
      b.append(": ").append(String.join(", ", items));
    }
    return b.append('.').toString();
  }

  @Override
  public String toString() {
    return message();
  }
}
