package io.minik8s.kubelet.node;

import java.util.Objects;

/**
 * The node's own settings, from the kubelet's flags.
 *
 * @param podCidr the node's pod CIDR ("" when not given)
 * @param logPort the port of the kubelet's log server, published as daemonEndpoints.kubeletEndpoint
 */
public record NodeConfig(String nodeName, String podCidr, int logPort, String kubeletVersion) {
  public NodeConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    podCidr = Objects.requireNonNullElse(podCidr, "");
    Objects.requireNonNull(kubeletVersion, "kubeletVersion");
  }
}
