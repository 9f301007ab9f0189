package io.minik8s.scheduler.report;

import io.minik8s.api.Pod;
import io.minik8s.scheduler.algorithm.FitError;
import java.time.Instant;

/**
 * Tells users what the scheduler decided, as Kubernetes does: Events and the pod's
 * {@code PodScheduled} condition. Calls must return at once (the work happens elsewhere): they are
 * made from the scheduling and binder threads. Reports are best effort and may be dropped under
 * pressure; the pod's placement never depends on them.
 */
public interface SchedulingReporter {
  /**
   * {@code pod} was bound to {@code nodeName}, as decided at {@code decidedAt} (before the bind was sent, so the
   * report's time precedes whatever the node's kubelet reports about the pod).
   */
  void scheduled(Pod pod, String nodeName, Instant decidedAt);

  /** No node fits {@code pod} (its latest known version), for the reasons in {@code error}. */
  void unschedulable(Pod pod, FitError error);
}
