package io.minik8s.kubelet.pod;

import java.util.Objects;

/**
 * One pod of one node: the key of the pod work queue, which every kubelet node of a process shares
 * (one node in {@code bin/kubelet}, many in {@code bin/hollow-nodes}).
 *
 * @param node the node's name
 * @param uid the pod's uid
 */
public record PodKey(String node, String uid) {
  public PodKey {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(uid, "uid");
  }
}
