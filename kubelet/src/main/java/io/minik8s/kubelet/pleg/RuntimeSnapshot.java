package io.minik8s.kubelet.pleg;

import io.minik8s.kubelet.cri.ContainerSummary;
import io.minik8s.kubelet.cri.SandboxSummary;
import io.minik8s.kubelet.runtime.PodLabels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one relist saw, per pod uid: the ids and states of the pod's sandboxes and containers. Two
 * snapshots differ for a pod exactly when one of its sandboxes or containers appeared, vanished or
 * changed state. Only objects labelled with {@link PodLabels#POD_UID} count: the kubelet's own.
 * Immutable.
 */
public record RuntimeSnapshot(Map<String, Set<String>> pods) {

  public RuntimeSnapshot {
    Map<String, Set<String>> copy = new HashMap<>();
    pods.forEach((uid, states) -> copy.put(uid, Set.copyOf(states)));
    pods = Map.copyOf(copy);
  }

  public static final RuntimeSnapshot EMPTY = new RuntimeSnapshot(Map.of());

  public static RuntimeSnapshot of(List<SandboxSummary> sandboxes, List<ContainerSummary> containers) {
    Map<String, Set<String>> pods = new HashMap<>();
    for (SandboxSummary s : sandboxes) {
      String uid = s.labels().get(PodLabels.POD_UID);
      if (uid != null) {
        pods.computeIfAbsent(uid, k -> new TreeSet<>()).add("sandbox " + s.id() + " " + s.state());
      }
    }
    for (ContainerSummary c : containers) {
      String uid = c.labels().get(PodLabels.POD_UID);
      if (uid != null) {
        pods.computeIfAbsent(uid, k -> new TreeSet<>()).add("container " + c.id() + " " + c.state());
      }
    }
    return new RuntimeSnapshot(pods);
  }

  /** The pods whose sandboxes or containers differ between {@code before} and this snapshot. */
  public Set<String> changedSince(RuntimeSnapshot before) {
    Set<String> changed = new HashSet<>();
    for (Map.Entry<String, Set<String>> e : pods.entrySet()) {
      if (!e.getValue().equals(before.pods.get(e.getKey()))) {
        changed.add(e.getKey());
      }
    }
    for (String uid : before.pods.keySet()) {
      if (!pods.containsKey(uid)) {
        changed.add(uid);
      }
    }
    return changed;
  }

  /** Pods with at least one ready sandbox. */
  public long runningPods() {
    return pods.values().stream().filter(s -> s.stream().anyMatch(x -> x.startsWith("sandbox ") && x.endsWith(" READY")))
        .count();
  }
}
