package io.minik8s.scheduler.cache;

import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is placed where: nodes and the pods that count on them, fed by the informers, plus the pods the
 * scheduler has <em>assumed</em>: decided and being bound, but not yet seen bound through the watch.
 *
 * <p>Why assume: binding is asynchronous and the watch lags behind it. Without counting a just-placed
 * pod at once, the next cycle would see its node's capacity still free and could place a second pod
 * on room only one fits. So {@link #assume} counts the pod on its node immediately.
 *
 * <p>An assumption ends when the informer shows the pod bound ({@link #updatePod}: it is then simply
 * a bound pod, on whichever node the server says), when the pod is deleted, when the bind fails
 * ({@link #forget}), or, as a safety net against a lost confirmation, {@code assumeTtl} after the bind
 * call returned ({@link #finishBinding}); expired assumptions are dropped when the next snapshot is
 * taken. While the bind call is in flight an assumption never expires.
 *
 * <p>Pods are identified by uid (a pod deleted and re-created under the same name is another pod).
 * Terminal pods (Succeeded, Failed) free their room, as in Kubernetes.
 *
 * <p>Thread-safe: informer threads, the scheduling thread and binder threads call in concurrently;
 * every method holds one lock for a short, I/O-free step. {@link #snapshot()} returns an immutable view,
 * made again only when something changed since the last one.
 *
 * <p>Cost per scheduling cycle (a thousand nodes, thousands of pods in flight): a snapshot is one copy of
 * an array of node infos kept in name order (re-sorted only when a node comes or goes), and only
 * assumptions whose deadline has come are looked at (they wait in a queue in deadline order).
 */
public final class SchedulerCache {
  private static final Logger log = LoggerFactory.getLogger(SchedulerCache.class);

  /** Kubernetes' default time an assumed pod waits for the watch to confirm its binding. */
  public static final Duration DEFAULT_ASSUME_TTL = Duration.ofSeconds(30);

  private final LongSupplier nanoTime;
  private final long assumeTtlNanos;

  // Guarded by this.
  private final Map<String, NodeInfo> nodes = new TreeMap<>();
  private final Map<String, PlacedPod> pods = new HashMap<>();
  /** uid → deadline (nanoTime) of assumed pods; Long.MAX_VALUE while the bind call is in flight. */
  private final Map<String, Long> assumed = new HashMap<>();
  /** Assumptions whose bind returned, in deadline order (one TTL for all); may hold confirmed ones. */
  private final ArrayDeque<Expiry> expiries = new ArrayDeque<>();
  /** The nodes with a Node object in name order, and each one's position; null: rebuild from nodes. */
  private NodeInfo[] ordered;
  private Map<String, Integer> positions;
  private Snapshot snapshot = Snapshot.empty();
  private boolean dirty;

  private record Expiry(String uid, long deadline) {}

  private record PlacedPod(PodInfo info, String node) {}

  public SchedulerCache(LongSupplier nanoTime, Duration assumeTtl) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.assumeTtlNanos = assumeTtl.toNanos();
  }

  public SchedulerCache() {
    this(System::nanoTime, DEFAULT_ASSUME_TTL);
  }

  // ------------------------------------------------------------------ informer side

  /** A node appeared or changed. */
  public synchronized void updateNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo current = nodes.get(name);
    put(name, current == null ? NodeInfo.of(node) : current.withNode(node));
  }

  /** A node is gone; pods still bound to it keep counting there until they go too. */
  public synchronized void removeNode(String name) {
    NodeInfo current = nodes.get(name);
    if (current == null) {
      return;
    }
    if (current.pods().isEmpty()) {
      nodes.remove(name);
      ordered = null;
      dirty = true;
    } else {
      put(name, current.withoutNodeObject());
    }
  }

  /**
   * A pod appeared or changed. Bound and not terminal: it counts on its node (confirming an
   * assumption). Terminal: it no longer counts. Unbound: a bound pod cannot become unbound, so this
   * is an older state than an assumption of ours and changes nothing.
   *
   * @return true when the change freed room on a node (a pod stopped counting or moved away)
   */
  public synchronized boolean updatePod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    boolean bound = !pod.getSpec().getNodeName().isEmpty();
    if (isTerminal(pod)) {
      return remove(uid);
    }
    if (!bound) {
      return false;
    }
    assumed.remove(uid);
    PlacedPod old = pods.get(uid);
    boolean moved = old != null && !old.node.equals(pod.getSpec().getNodeName());
    if (moved) {
      remove(uid);
    }
    place(PodInfo.of(pod));
    return moved;
  }

  /**
   * A pod was deleted.
   *
   * @return true when it counted on a node (its room is free now)
   */
  public synchronized boolean deletePod(Pod pod) {
    return remove(pod.getMetadata().getUid());
  }

  // ------------------------------------------------------------------ scheduler side

  /**
   * Counts {@code pod} on {@code nodeName} from now on, before it is bound. The assumption does not
   * expire until {@link #finishBinding} is called.
   *
   * @return false (and changes nothing) when the pod already counts somewhere: the informer has shown
   *     it bound, or it is assumed already
   */
  public synchronized boolean assume(PodInfo pod, String nodeName) {
    if (pods.containsKey(pod.uid())) {
      return false;
    }
    Pod placed = pod.pod().toBuilder().setSpec(pod.pod().getSpec().toBuilder().setNodeName(nodeName)).build();
    place(PodInfo.of(placed));
    assumed.put(pod.uid(), Long.MAX_VALUE);
    return true;
  }

  /** The bind call for {@code uid} succeeded: its assumption now expires after the TTL unless confirmed. */
  public synchronized void finishBinding(String uid) {
    if (assumed.containsKey(uid)) {
      long deadline = nanoTime.getAsLong() + assumeTtlNanos;
      assumed.put(uid, deadline);
      expiries.addLast(new Expiry(uid, deadline));
    }
  }

  /** The bind call for {@code uid} failed: the pod no longer counts (unless the informer confirmed it). */
  public synchronized void forget(String uid) {
    if (assumed.remove(uid) != null) {
      remove(uid);
    }
  }

  /** Whether {@code uid} is assumed and not yet confirmed by the informer. */
  public synchronized boolean isAssumed(String uid) {
    return assumed.containsKey(uid);
  }

  public synchronized int assumedCount() {
    return assumed.size();
  }

  /** The current state, after dropping expired assumptions. */
  public synchronized Snapshot snapshot() {
    expireAssumptions();
    if (dirty) {
      if (ordered == null) {
        List<NodeInfo> withNode = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes.values()) {
          if (n.hasNode()) {
            withNode.add(n);
          }
        }
        ordered = withNode.toArray(NodeInfo[]::new);
        Map<String, Integer> index = new HashMap<>(ordered.length * 2);
        for (int i = 0; i < ordered.length; i++) {
          index.put(ordered[i].name(), i);
        }
        positions = Map.copyOf(index);
      }
      snapshot = Snapshot.of(ordered.clone(), positions);
      dirty = false;
    }
    return snapshot;
  }

  // ------------------------------------------------------------------ internals (under the lock)

  private void expireAssumptions() {
    long now = nanoTime.getAsLong();
    while (!expiries.isEmpty() && now - expiries.peekFirst().deadline() >= 0) {
      Expiry e = expiries.pollFirst();
      Long deadline = assumed.get(e.uid());
      if (deadline == null || deadline != e.deadline()) {
        continue; // confirmed, forgotten, or assumed again since
      }
      assumed.remove(e.uid());
      PlacedPod p = pods.get(e.uid());
      log.atWarn().addKeyValue("pod", p == null ? e.uid() : p.info.key())
          .addKeyValue("node", p == null ? "" : p.node)
          .log("assumed pod expired: its binding was never seen through the watch");
      remove(e.uid());
    }
  }

  private void place(PodInfo info) {
    String node = info.nodeName();
    NodeInfo current = nodes.get(node);
    put(node, (current == null ? NodeInfo.withoutNode(node) : current).withPod(info));
    pods.put(info.uid(), new PlacedPod(info, node));
  }

  /**
   * Stores a node's new info: in the ordered array in place when the node keeps its slot, else the
   * order is rebuilt at the next snapshot (a node appeared, or gained or lost its Node object).
   */
  private void put(String name, NodeInfo info) {
    NodeInfo old = nodes.put(name, info);
    Integer at = positions == null ? null : positions.get(name);
    if (ordered != null && old != null && old.hasNode() && info.hasNode() && at != null) {
      ordered[at] = info;
    } else if (old == null ? info.hasNode() : old.hasNode() != info.hasNode()) {
      ordered = null;
    }
    dirty = true;
  }

  private boolean remove(String uid) {
    assumed.remove(uid);
    PlacedPod p = pods.remove(uid);
    if (p == null) {
      return false;
    }
    NodeInfo current = nodes.get(p.node);
    if (current != null) {
      NodeInfo updated = current.withoutPod(uid);
      if (!updated.hasNode() && updated.pods().isEmpty()) {
        nodes.remove(p.node); // it had no Node object, so it was not in the order
      } else {
        put(p.node, updated);
      }
    }
    dirty = true;
    return true;
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return phase.equals("Succeeded") || phase.equals("Failed");
  }
}
