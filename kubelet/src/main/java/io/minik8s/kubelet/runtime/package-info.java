/**
 * The kubelet's view of its pods in the container runtime: {@link io.minik8s.kubelet.runtime.RuntimePod}
 * (a pod's sandboxes and containers, newest first), read by uid through
 * {@link io.minik8s.kubelet.runtime.RuntimePodReader}, and the labels
 * ({@link io.minik8s.kubelet.runtime.PodLabels}) that tie CRI objects to pods. The runtime is the
 * kubelet's only record of what runs: nothing about containers is kept on disk by the kubelet, which
 * is why a restarted kubelet adopts what it finds.
 */
package io.minik8s.kubelet.runtime;
