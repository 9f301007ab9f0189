package io.minik8s.kubelet.events;

import io.minik8s.api.Pod;

/**
 * Records what the kubelet did to a pod as core/v1 Events (Pulled, Created, Started, Killing,
 * BackOff, Failed...), best effort: recording never blocks and never fails the caller.
 */
public interface EventRecorder {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  /** Drops everything. */
  EventRecorder NONE = (pod, container, type, reason, message) -> { };

  /**
   * @param container the container the event is about ({@code spec.containers{name}}), or null for the pod
   * @param type {@link #NORMAL} or {@link #WARNING}
   * @param reason Kubernetes' CamelCase reason, e.g. "Started"
   */
  void record(Pod pod, String container, String type, String reason, String message);
}
