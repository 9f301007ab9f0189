/**
 * The kubelet's side of the Container Runtime Interface: everything the kubelet asks of a container
 * runtime, in the kubelet's own words.
 *
 * <p>{@link io.minik8s.kubelet.cri.ContainerRuntime} is the narrow interface the rest of the kubelet
 * uses: pod sandboxes (a pod's shared network namespace and IP), containers inside them, images and
 * synchronous exec. Inputs are specs ({@link io.minik8s.kubelet.cri.SandboxSpec},
 * {@link io.minik8s.kubelet.cri.ContainerSpec}); outputs are snapshots of what the runtime reports
 * ({@link io.minik8s.kubelet.cri.SandboxInfo}, {@link io.minik8s.kubelet.cri.ContainerInfo} and their
 * list forms). Every failure is a {@link io.minik8s.kubelet.cri.CriException} naming the CRI call.
 *
 * <p>Two implementations: {@link io.minik8s.kubelet.cri.CriRuntime} speaks CRI {@code runtime.v1}
 * over gRPC on the runtime's unix socket (containerd, CRI-O); {@link io.minik8s.kubelet.cri.FakeRuntime}
 * keeps everything in memory for unit tests and for simulated ("hollow") nodes.
 * {@link io.minik8s.kubelet.cri.RawCriTimer} measures the runtime alone: the floor under the
 * kubelet's pod start-up time.
 */
package io.minik8s.kubelet.cri;
