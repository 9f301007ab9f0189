package io.minik8s.scheduler.cache;

import io.minik8s.scheduler.framework.NodeInfo;
import java.util.ArrayList;
import java.util.Collection;
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
  private static final Snapshot EMPTY = new Snapshot(List.of());

  private final List<NodeInfo> nodes;
  private final Map<String, NodeInfo> byName;

  private Snapshot(List<NodeInfo> nodes) {
    this.nodes = nodes;
    this.byName = new HashMap<>();
    for (NodeInfo n : nodes) {
      byName.put(n.name(), n);
    }
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
    return new Snapshot(List.copyOf(list));
  }

  public List<NodeInfo> nodes() {
    return nodes;
  }

  public Optional<NodeInfo> node(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public int size() {
    return nodes.size();
  }

  @Override
  public String toString() {
    return "Snapshot" + nodes;
  }
}
