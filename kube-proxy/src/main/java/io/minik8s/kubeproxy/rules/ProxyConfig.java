package io.minik8s.kubeproxy.rules;

/**
 * Settings of rule generation.
 *
 * @param clusterCidr the pod CIDR ("10.244.0.0/16"); traffic to a ClusterIP from outside it is
 *     masqueraded, so replies come back through this node. Empty: no such masquerading.
 * @param masqueradeMark the fwmark bit that asks POSTROUTING to masquerade, as "0x4000"
 */
public record ProxyConfig(String clusterCidr, String masqueradeMark) {
  public static final String DEFAULT_MARK = "0x4000";

  public static ProxyConfig of(String clusterCidr) {
    return new ProxyConfig(clusterCidr == null ? "" : clusterCidr, DEFAULT_MARK);
  }
}
