/**
 * What the API server asks of kubelets on behalf of clients: a container's log
 * ({@link io.minik8s.apiserver.kubelet.PodLogProxy}, streamed from {@code /containerLogs/...}) and a command run
 * in a container ({@link io.minik8s.apiserver.kubelet.PodExecProxy}, {@code POST /exec/...}, CRI ExecSync on the
 * node). {@link io.minik8s.apiserver.kubelet.ContainerTargets} finds the container and its kubelet from the pod
 * and its Node. Errors are {@link io.minik8s.client.api.ApiException}s, raised before anything is streamed
 * where possible.
 */
package io.minik8s.apiserver.kubelet;
