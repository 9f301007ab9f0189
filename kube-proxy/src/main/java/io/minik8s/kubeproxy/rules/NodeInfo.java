package io.minik8s.kubeproxy.rules;

import java.util.List;
import java.util.TreeSet;

/**
 * This node's addresses (status.addresses of its Node), sorted. NodePorts match every local address
 * through {@code -m addrtype --dst-type LOCAL}, so today no rule lists them; they are an input of
 * generation (as in kube-proxy) for a later {@code --nodeport-addresses}, and the generated text
 * records them in a comment so a change of them is a change of the rule set.
 */
public record NodeInfo(List<String> addresses) {
  public NodeInfo {
    addresses = List.copyOf(new TreeSet<>(addresses));
  }

  public static NodeInfo none() {
    return new NodeInfo(List.of());
  }
}
