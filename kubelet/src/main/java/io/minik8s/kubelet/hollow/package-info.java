/**
 * Hollow nodes ({@code bin/hollow-nodes}): many simulated nodes in one process, for benchmarks of the
 * control plane at scale, after Kubernetes' kubemark. Each node is a real
 * {@link io.minik8s.kubelet.KubeletNode} (the kubelet's own registration, status, Lease, pod workers,
 * relister, status writes and deletion) on an in-memory
 * {@link io.minik8s.kubelet.cri.FakeRuntime}; {@link io.minik8s.kubelet.hollow.HollowNodeLayout} gives
 * node {@code i} its name, pod CIDR, IP and capacity; {@link io.minik8s.kubelet.hollow.HollowNodes} wires
 * them onto one shared {@link io.minik8s.kubelet.KubeletProcess}; {@link
 * io.minik8s.kubelet.hollow.HollowNodesMain} is the command line.
 *
 * <p>Not simulated: container logs and exec (no log server), real networking, node resource usage.
 */
package io.minik8s.kubelet.hollow;
