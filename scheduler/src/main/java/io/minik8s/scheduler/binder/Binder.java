package io.minik8s.scheduler.binder;

import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiException;

/** Makes a scheduling decision real: binds the pod to the node. The seam between the loop and the API. */
public interface Binder {
  /**
   * Binds {@code pod} to {@code nodeName}; returns once the API server has stored it.
   *
   * @throws ApiException Conflict when the pod is already bound or being deleted, NotFound when it is
   *     gone, any other reason for a failure worth retrying
   */
  void bind(Pod pod, String nodeName);
}
