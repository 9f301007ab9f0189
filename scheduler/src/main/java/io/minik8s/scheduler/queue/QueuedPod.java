package io.minik8s.scheduler.queue;

import io.minik8s.api.Pod;

/**
 * A pod handed out by {@link SchedulingQueue#pop()} for one scheduling attempt.
 *
 * @param pod the latest version the queue had
 * @param attempts how many attempts failed before this one
 * @param firstSeenNanos when the queue first saw the pod (the start of its end-to-end scheduling time)
 * @param cycle the number of this scheduling cycle; give it back with {@link SchedulingQueue#requeue}
 */
public record QueuedPod(Pod pod, int attempts, long firstSeenNanos, long cycle) {
  public String uid() {
    return pod.getMetadata().getUid();
  }

  /** {@code namespace/name}. */
  public String key() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
