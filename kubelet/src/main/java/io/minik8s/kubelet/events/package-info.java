/**
 * Events about pods ({@link io.minik8s.kubelet.events.EventRecorder}): Kubernetes' reasons, created
 * as core/v1 Events in the pod's namespace by {@link io.minik8s.kubelet.events.ApiEventRecorder},
 * asynchronously and best effort.
 */
package io.minik8s.kubelet.events;
