/**
 * The node lifecycle controller: notices nodes whose kubelet stopped reporting, marks them and their
 * pods, and evicts the pods so their controllers recreate them elsewhere.
 *
 * <p>Inputs: the shared Node and Pod informers and the Leases of {@code kube-node-lease} (the kubelets'
 * heartbeats). Outputs: node status (Ready=Unknown) and taints ({@code node.kubernetes.io/unreachable}),
 * pod status (Ready=False) and pod deletes. {@link io.minik8s.controllermanager.nodelifecycle.NodeHealth}
 * remembers when each node's heartbeat was last seen to move; {@link
 * io.minik8s.controllermanager.nodelifecycle.NodeLifecycleController} is the reconcile.
 */
package io.minik8s.controllermanager.nodelifecycle;
