package io.minik8s.scheduler.framework;

/**
 * One rule a node must satisfy for a pod to go there (Kubernetes' filter plugins, the old
 * "predicates"). A pure function of the pod and the node's state in a snapshot: no API calls, no
 * shared mutable state, so filters may run for many nodes at once.
 */
public interface Filter {
  /** A short name for logs and metrics. */
  String name();

  FilterResult filter(PodInfo pod, NodeInfo node);
}
