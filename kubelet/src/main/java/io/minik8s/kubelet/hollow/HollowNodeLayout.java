package io.minik8s.kubelet.hollow;

import io.minik8s.kubelet.Kubelet;
import io.minik8s.kubelet.node.HostInfo;
import io.minik8s.kubelet.node.NodeConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * Who hollow node {@code i} is, as a pure function of {@code i}: its name ({@code <prefix><i>}), its pod
 * CIDR (the {@code i}-th /24 of the cluster CIDR, room for Kubernetes' 110 pods), its InternalIP (the
 * {@code i}-th host address of the node CIDR), and a host like a real small machine ({@code cpu} cores,
 * {@code memoryKi} of memory, the real host's kernel and OS, machine and boot ids of its own).
 * Immutable.
 */
public final class HollowNodeLayout {
  /** The port published as the node's kubelet endpoint; hollow nodes serve no logs on it. */
  static final int KUBELET_PORT = 10250;

  private final String prefix;
  private final int clusterBase;
  private final int clusterSubnets;
  private final int nodeBase;
  private final int nodeAddresses;
  private final int cpu;
  private final long memoryKi;
  private final HostInfo realHost;

  /**
   * @param clusterCidr pods' addresses, split into one /24 per node (a /16 or larger prefix)
   * @param nodeCidr the nodes' InternalIPs
   * @param realHost kernel, OS and architecture shown by every hollow node
   */
  public HollowNodeLayout(String prefix, String clusterCidr, String nodeCidr, int cpu, long memoryKi,
      HostInfo realHost) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    int[] cluster = parseCidr(clusterCidr);
    if (cluster[1] > 24) {
      throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " is smaller than one /24");
    }
    this.clusterBase = cluster[0];
    this.clusterSubnets = 1 << (24 - cluster[1]);
    int[] nodes = parseCidr(nodeCidr);
    if (nodes[1] > 30) {
      throw new IllegalArgumentException("node CIDR " + nodeCidr + " has no room for nodes");
    }
    this.nodeBase = nodes[0];
    this.nodeAddresses = (1 << (32 - nodes[1])) - 2;
    if (cpu < 1 || memoryKi < 1) {
      throw new IllegalArgumentException("a node needs cpu and memory");
    }
    this.cpu = cpu;
    this.memoryKi = memoryKi;
    this.realHost = Objects.requireNonNull(realHost, "realHost");
  }

  /** How many nodes the CIDRs have room for. */
  public int capacity() {
    return Math.min(clusterSubnets, nodeAddresses);
  }

  public String name(int i) {
    check(i);
    return prefix + i;
  }

  /** The {@code i}-th /24 of the cluster CIDR. */
  public String podCidr(int i) {
    check(i);
    return dotted(clusterBase + (i << 8)) + "/24";
  }

  /** The {@code i}-th host address of the node CIDR (the network address is skipped). */
  public String nodeIp(int i) {
    check(i);
    return dotted(nodeBase + i + 1);
  }

  public NodeConfig nodeConfig(int i) {
    return new NodeConfig(name(i), podCidr(i), KUBELET_PORT, Kubelet.VERSION);
  }

  public HostInfo host(int i) {
    String id = String.format(Locale.ROOT, "%016x%016x", (long) i, name(i).hashCode() & 0xffffffffL);
    return new HostInfo(name(i), nodeIp(i), cpu, memoryKi, realHost.kernelVersion(), realHost.osImage(),
        realHost.architecture(), id, id, id);
  }

  private void check(int i) {
    if (i < 0 || i >= capacity()) {
      throw new IllegalArgumentException("node index " + i + " outside 0.." + (capacity() - 1));
    }
  }

  /** {@code a.b.c.d/p} → {network address, p}. */
  static int[] parseCidr(String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 1 || prefix > 32) {
      throw new IllegalArgumentException("bad prefix length in " + cidr);
    }
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
    }
    int ip = 0;
    for (String o : octets) {
      int v = Integer.parseInt(o);
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
      }
      ip = ip << 8 | v;
    }
    int mask = -1 << (32 - prefix);
    return new int[] {ip & mask, prefix};
  }

  static String dotted(int ip) {
    return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
  }
}
