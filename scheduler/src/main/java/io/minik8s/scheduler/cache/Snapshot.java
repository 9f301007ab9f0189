package io.minik8s.scheduler.cache;

import io.minik8s.scheduler.framework.NodeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as one scheduling cycle sees it: every known node (with its Node object) and the pods
 * counted on it, bound or assumed. Immutable, so a cycle works on one consistent state however the
 * cache changes meanwhile. Nodes are in name order.
 */
public final class Snapshot {
  private static final Snapshot EMPTY = new Snapshot(new NodeInfo[0], Map.of());

  private final List<NodeInfo> nodes;
  private final Map<String, Integer> positions;

  private Snapshot(NodeInfo[] nodes, Map<String, Integer> positions) {
    this.nodes = Collections.unmodifiableList(Arrays.asList(nodes));
    this.positions = positions;
  }

  public static Snapshot empty() {
    return EMPTY;
  }

  /** A snapshot of {@code infos}; entries without a Node object are left out. */
  public static Snapshot of(Collection<NodeInfo> infos) {
    List<NodeInfo> list = new ArrayList<>(infos.size());
    for (NodeInfo n : infos) {
      if (n.hasNode()) {
        list.add(n);
      }
    }
    list.sort(Comparator.comparing(NodeInfo::name));
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      positions.put(list.get(i).name(), i);
    }
    return new Snapshot(list.toArray(NodeInfo[]::new), positions);
  }

  /**
   * The cache's fast path: {@code nodes} (with Node objects, in name order, owned by the snapshot from now
   * on) and each one's index in it (immutable; may be shared between snapshots).
   */
  static Snapshot of(NodeInfo[] nodes, Map<String, Integer> positions) {
    return new Snapshot(nodes, positions);
  }

  public List<NodeInfo> nodes() {
    return nodes;
  }

  public Optional<NodeInfo> node(String name) {
    Integer i = positions.get(name);
    return i == null ? Optional.empty() : Optional.of(nodes.get(i));
  }

  public int size() {
    return nodes.size();
  }

  @Override
  public String toString() {
    return "Snapshot" + nodes;
  }
}
