/**
 * minik8s kube-proxy: one per node, it watches Services, Endpoints and its own Node through informers
 * and keeps the node's iptables nat (and filter, for rejects) rules in step with them ({@link
 * io.minik8s.kubeproxy.Proxier}). {@link io.minik8s.kubeproxy.Main} parses the flags, {@link
 * io.minik8s.kubeproxy.KubeProxyProcess} wires informers, proxier and the health server. Rule text comes
 * from the pure {@code rules} package; all iptables calls go through the {@code iptables} package.
 */
package io.minik8s.kubeproxy;
