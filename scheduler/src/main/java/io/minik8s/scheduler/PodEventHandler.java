package io.minik8s.scheduler;

import io.minik8s.api.Pod;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.queue.SchedulingQueue;

/**
 * Routes pod changes: a pod that needs scheduling by us goes to the queue; a bound (or finished) pod
 * goes to the cache and leaves the queue. When room frees up on a node (a bound pod deleted, finished
 * or moved), every pod backing off is retried at once. Runs on the pod informer's thread; only
 * in-memory work.
 */
public final class PodEventHandler implements ResourceEventHandler<Pod> {
  private final String schedulerName;
  private final SchedulingQueue queue;
  private final SchedulerCache cache;

  public PodEventHandler(String schedulerName, SchedulingQueue queue, SchedulerCache cache) {
    this.schedulerName = schedulerName;
    this.queue = queue;
    this.cache = cache;
  }

  /**
   * Whether {@code pod} is for this scheduler to place: not bound, not being deleted, not finished,
   * and asking for {@code schedulerName}.
   */
  public static boolean needsScheduling(Pod pod, String schedulerName) {
    return pod.getSpec().getNodeName().isEmpty() && !pod.getMetadata().hasDeletionTimestamp()
        && !isTerminal(pod) && pod.getSpec().getSchedulerName().equals(schedulerName);
  }

  @Override
  public void onAdd(Pod pod) {
    route(pod);
  }

  @Override
  public void onUpdate(Pod oldPod, Pod newPod) {
    route(newPod);
  }

  @Override
  public void onDelete(Pod pod) {
    queue.delete(pod.getMetadata().getUid());
    if (cache.deletePod(pod)) {
      queue.moveAllToActive();
    }
  }

  private void route(Pod pod) {
    if (!pod.getSpec().getNodeName().isEmpty() || isTerminal(pod)) {
      queue.delete(pod.getMetadata().getUid());
      if (cache.updatePod(pod)) {
        queue.moveAllToActive();
      }
    } else if (needsScheduling(pod, schedulerName)) {
      queue.add(pod);
    } else {
      queue.delete(pod.getMetadata().getUid());
    }
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return phase.equals("Succeeded") || phase.equals("Failed");
  }
}
