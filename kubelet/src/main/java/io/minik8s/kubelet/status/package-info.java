/**
 * Pod status: {@link io.minik8s.kubelet.status.PodStatusCalculator} turns a pod's spec and its
 * {@link io.minik8s.kubelet.runtime.RuntimePod} (plus the last sync's waiting reasons and the probes'
 * verdicts) into a {@code PodStatus}, purely; {@link io.minik8s.kubelet.status.PodStatusWriter} sends it
 * to the API server when it changed.
 */
package io.minik8s.kubelet.status;
