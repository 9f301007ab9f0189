/**
 * The kubelet: one per node. It registers the node, watches the pods bound to it and makes the
 * container runtime run them (through the CRI), reports their status, and serves their logs.
 * {@link io.minik8s.kubelet.Main} parses the flags, {@link io.minik8s.kubelet.Kubelet} wires the process:
 * one {@link io.minik8s.kubelet.KubeletNode} (a node's parts) on a {@link io.minik8s.kubelet.KubeletProcess}
 * (what the nodes of one process share; {@code hollow} hosts many nodes on one). The parts:
 * {@code node} (registration, status, lease), {@code pod} (workers and their pure sync planning),
 * {@code status} (pod status, pure), {@code pleg} (relist of the runtime), {@code restart} (restart
 * policy and back-off), {@code probe}, {@code logs} (log server), {@code events}, {@code runtime} (the
 * pods as the runtime has them), {@code cri} (the runtime itself) and {@code hollow} (simulated nodes for
 * benchmarks at scale).
 */
package io.minik8s.kubelet;
