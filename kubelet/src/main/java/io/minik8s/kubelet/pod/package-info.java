/**
 * Pod workers: {@link io.minik8s.kubelet.pod.PodWorker} syncs one pod (by uid) at a time, the reconcile
 * of the kubelet's work queue; {@link io.minik8s.kubelet.pod.PodSync} is its pure decision from the
 * desired pod and the actual {@link io.minik8s.kubelet.runtime.RuntimePod} to a
 * {@link io.minik8s.kubelet.pod.SyncPlan} of {@link io.minik8s.kubelet.pod.PodAction}s;
 * {@link io.minik8s.kubelet.pod.PodSpecs} translates pods into CRI specs and
 * {@link io.minik8s.kubelet.pod.ImagePuller} applies image pull policies. Side effects go only through
 * the {@code ContainerRuntime}, the status writer and the deletion confirmation.
 */
package io.minik8s.kubelet.pod;
