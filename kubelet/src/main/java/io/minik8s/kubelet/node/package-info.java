/**
 * The node's presence in the API: {@link io.minik8s.kubelet.node.HostInfo} (what the host is),
 * {@link io.minik8s.kubelet.node.NodeStatusBuilder} (the Node object and its status, pure),
 * {@link io.minik8s.kubelet.node.NodeStatusUpdater} (registers the Node, then writes its status with a
 * Ready condition every node-status-update-frequency) and
 * {@link io.minik8s.kubelet.node.NodeLeaseRenewer} (the kube-node-lease heartbeat every 10 s).
 */
package io.minik8s.kubelet.node;
