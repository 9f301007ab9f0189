/**
 * Pod workers: {@link io.minik8s.kubelet.pod.PodWorker} syncs one pod (by uid) at a time, the reconcile
 * of the kubelet's work queue; {@link io.minik8s.kubelet.pod.PodSync} is its pure decision from the
 * desired pod and the actual {@link io.minik8s.kubelet.runtime.RuntimePod} to a
 * {@link io.minik8s.kubelet.pod.SyncPlan} of {@link io.minik8s.kubelet.pod.PodAction}s;
 * {@link io.minik8s.kubelet.pod.PodSpecs} translates pods into CRI specs and
 * {@link io.minik8s.kubelet.pod.ImagePuller} applies image pull policies. Side effects go only through
 * the {@code ContainerRuntime}, the status writer and the deletion confirmation.
 *
 * <p>Routing, for a process hosting one node or many: {@link io.minik8s.kubelet.pod.PodsByNode} splits one
 * pod informer's events by {@code spec.nodeName}, the shared work queue holds {@link
 * io.minik8s.kubelet.pod.PodKey}s (node, uid), and {@link io.minik8s.kubelet.pod.PodWorkerRouter} hands each
 * to its node's worker.
 */
package io.minik8s.kubelet.pod;
