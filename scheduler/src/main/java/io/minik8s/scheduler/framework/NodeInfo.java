package io.minik8s.scheduler.framework;

import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the scheduler sees it: the Node object, what it can hold (status.allocatable, or
 * status.capacity when the node reports no allocatable) and the pods placed on it with what they
 * request. Immutable: {@link #withPod}, {@link #withoutPod} and {@link #withNode} return new infos,
 * so a snapshot can share them with the cache safely.
 *
 * <p>What filters and scorers read for every pod is computed once per info, not per pod: the sums of
 * the pods' requests, the ports they hold, what is left ({@link #free()}) and the Ready condition.
 *
 * <p>The node may be absent ({@link #hasNode()} false): pods bound to a node the scheduler has not
 * seen (yet, or any more) are kept so the accounting is right when it appears.
 */
public final class NodeInfo {
  private final String name;
  private final Node node;
  private final Resources allocatable;
  private final long allowedPods;
  private final List<PodInfo> pods;
  private final Resources requested;
  private final Resources nonZeroRequested;
  private final List<HostPort> usedPorts;
  private final Resources free;
  private final String readyStatus;

  private NodeInfo(String name, Node node, List<PodInfo> pods) {
    this.name = Objects.requireNonNull(name, "name");
    this.node = node;
    this.pods = pods;
    if (node != null) {
      Map<String, String> alloc = node.getStatus().getAllocatableMap().isEmpty()
          ? node.getStatus().getCapacityMap() : node.getStatus().getAllocatableMap();
      this.allocatable = Resources.of(alloc);
      this.allowedPods = Resources.whole(alloc.get(Resources.PODS));
    } else {
      this.allocatable = Resources.ZERO;
      this.allowedPods = 0;
    }
    Resources req = Resources.ZERO;
    Resources nonZero = Resources.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (PodInfo p : pods) {
      req = req.plus(p.requests());
      nonZero = nonZero.plus(p.nonZeroRequests());
      ports.addAll(p.hostPorts());
    }
    this.requested = req;
    this.nonZeroRequested = nonZero;
    this.usedPorts = List.copyOf(ports);
    this.free = allocatable.minus(requested);
    this.readyStatus = node == null ? "" : readyStatus(node);
  }

  /** The status of the node's Ready condition ("True", "False", "Unknown"), "" when it has none. */
  public static String readyStatus(Node node) {
    for (NodeCondition c : node.getStatus().getConditionsList()) {
      if (c.getType().equals("Ready")) {
        return c.getStatus();
      }
    }
    return "";
  }

  /** A node with no pods. */
  public static NodeInfo of(Node node) {
    return new NodeInfo(node.getMetadata().getName(), node, List.of());
  }

  /** A node with {@code pods} on it. */
  public static NodeInfo of(Node node, Collection<PodInfo> pods) {
    return new NodeInfo(node.getMetadata().getName(), node, List.copyOf(pods));
  }

  /** Pods on a node not known (yet). */
  public static NodeInfo withoutNode(String name) {
    return new NodeInfo(name, null, List.of());
  }

  public NodeInfo withNode(Node newNode) {
    return new NodeInfo(name, newNode, pods);
  }

  /** This node without its Node object (it was deleted while pods still count on it). */
  public NodeInfo withoutNodeObject() {
    return new NodeInfo(name, null, pods);
  }

  /** This node with {@code pod} on it, replacing an earlier version of the same pod (by uid). */
  public NodeInfo withPod(PodInfo pod) {
    List<PodInfo> list = new ArrayList<>(pods.size() + 1);
    for (PodInfo p : pods) {
      if (!p.uid().equals(pod.uid())) {
        list.add(p);
      }
    }
    list.add(pod);
    return new NodeInfo(name, node, List.copyOf(list));
  }

  /** This node without the pod with {@code uid} (the same info if it is not there). */
  public NodeInfo withoutPod(String uid) {
    List<PodInfo> list = new ArrayList<>(pods.size());
    for (PodInfo p : pods) {
      if (!p.uid().equals(uid)) {
        list.add(p);
      }
    }
    return list.size() == pods.size() ? this : new NodeInfo(name, node, List.copyOf(list));
  }

  public String name() {
    return name;
  }

  public boolean hasNode() {
    return node != null;
  }

  /** The Node object; only call when {@link #hasNode()}. */
  public Node node() {
    if (node == null) {
      throw new IllegalStateException("node " + name + " is not known");
    }
    return node;
  }

  public Resources allocatable() {
    return allocatable;
  }

  /** How many pods the node takes (allocatable {@code pods}). */
  public long allowedPods() {
    return allowedPods;
  }

  public List<PodInfo> pods() {
    return pods;
  }

  /** The sum of the requests of the pods on the node. */
  public Resources requested() {
    return requested;
  }

  /** Allocatable minus requested (negative when over-committed). */
  public Resources free() {
    return free;
  }

  /** {@link #readyStatus(Node)} of the node; "" without a Node object. */
  public String readyStatus() {
    return readyStatus;
  }

  /** The same with Kubernetes' defaults for containers that request nothing (for scoring). */
  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  /** Every host port taken by a pod on the node. */
  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  @Override
  public String toString() {
    return name + "(" + pods.size() + " pods, requested " + requested + " of " + allocatable + ")";
  }
}
