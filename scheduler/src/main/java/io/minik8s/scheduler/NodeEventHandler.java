package io.minik8s.scheduler;

import io.minik8s.api.Node;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.queue.SchedulingQueue;

/**
 * Keeps the cache's nodes current and retries waiting pods when a node appears or changes in a way
 * that may let more pods fit. Heartbeat-only status updates (a kubelet's every few seconds) change
 * nothing a filter reads, so they do not trigger retries. Runs on the node informer's thread.
 */
public final class NodeEventHandler implements ResourceEventHandler<Node> {
  private final SchedulingQueue queue;
  private final SchedulerCache cache;

  public NodeEventHandler(SchedulingQueue queue, SchedulerCache cache) {
    this.queue = queue;
    this.cache = cache;
  }

  @Override
  public void onAdd(Node node) {
    cache.updateNode(node);
    queue.moveAllToActive();
  }

  @Override
  public void onUpdate(Node oldNode, Node newNode) {
    cache.updateNode(newNode);
    if (schedulingRelevantChange(oldNode, newNode)) {
      queue.moveAllToActive();
    }
  }

  @Override
  public void onDelete(Node node) {
    cache.removeNode(node.getMetadata().getName());
  }

  /** Whether anything a filter or scorer reads changed: labels, spec, allocatable, capacity, readiness. */
  static boolean schedulingRelevantChange(Node a, Node b) {
    return !a.getMetadata().getLabelsMap().equals(b.getMetadata().getLabelsMap())
        || !a.getSpec().equals(b.getSpec())
        || !a.getStatus().getAllocatableMap().equals(b.getStatus().getAllocatableMap())
        || !a.getStatus().getCapacityMap().equals(b.getStatus().getCapacityMap())
        || !NodeInfo.readyStatus(a).equals(NodeInfo.readyStatus(b));
  }
}
