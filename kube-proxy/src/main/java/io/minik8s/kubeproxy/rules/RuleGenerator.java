package io.minik8s.kubeproxy.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Kubernetes' iptables proxy mode, as a pure function. Layout (nat table unless said otherwise):
 *
 * <pre>
 * PREROUTING, OUTPUT → MINIK8S-SERVICES:
 *     -d clusterIP --dport port                 → MINIK8S-SVC-x
 *     -d externalIP / LB ingress IP --dport port → MINIK8S-EXT-x
 *     last: -m addrtype --dst-type LOCAL         → MINIK8S-NODEPORTS: --dport nodePort → MINIK8S-EXT-x
 * MINIK8S-EXT-x: mark for masquerade, → MINIK8S-SVC-x
 * MINIK8S-SVC-x: (! -s clusterCidr → mark), [affinity: -m recent --rcheck → SEP], then one rule per
 *     endpoint with -m statistic --probability 1/(n-i), the last one unconditional
 * MINIK8S-SEP-y: -s endpoint → mark (hairpin); [-m recent --set] DNAT → endpoint
 * POSTROUTING → MINIK8S-POSTROUTING: marked packets are MASQUERADEd (mark cleared first)
 * filter INPUT, FORWARD, OUTPUT (new connections) → MINIK8S-SERVICES: REJECT for services without endpoints
 * </pre>
 *
 * A service without endpoints is REJECTed in the filter table (icmp-port-unreachable, the caller fails
 * fast) because the nat table cannot drop. Output is sorted by service key and endpoint, so equal input
 * gives identical text. Thread-safe (stateless).
 */
public final class RuleGenerator {
  private RuleGenerator() {}

  /** Generates the rule set; {@code endpoints} is keyed by {@link ServiceInfo#key()}. */
  public static RuleSet generate(List<ServiceInfo> services, Map<String, EndpointsInfo> endpoints, NodeInfo node,
      ProxyConfig config) {
    String mark = config.masqueradeMark() + "/" + config.masqueradeMark();
    SortedSet<String> natChains = new TreeSet<>(List.of(ChainNames.SERVICES, ChainNames.NODEPORTS,
        ChainNames.POSTROUTING, ChainNames.MARK_MASQ));
    SortedSet<String> filterChains = new TreeSet<>(List.of(ChainNames.SERVICES));
    StringBuilder services_ = new StringBuilder();
    StringBuilder nodePorts = new StringBuilder();
    StringBuilder perService = new StringBuilder();
    StringBuilder reject = new StringBuilder();

    StringBuilder nat = new StringBuilder();
    nat.append("-A ").append(ChainNames.POSTROUTING).append(" -m mark ! --mark ").append(mark).append(" -j RETURN\n");
    nat.append("-A ").append(ChainNames.POSTROUTING).append(" -j MARK --xor-mark ").append(config.masqueradeMark())
        .append('\n');
    nat.append("-A ").append(ChainNames.POSTROUTING)
        .append(" -m comment --comment \"minik8s service traffic requiring SNAT\" -j MASQUERADE\n");
    nat.append("-A ").append(ChainNames.MARK_MASQ).append(" -j MARK --or-mark ").append(config.masqueradeMark())
        .append('\n');

    List<ServiceInfo> sorted = new ArrayList<>(services);
    sorted.sort(Comparator.comparing(ServiceInfo::key).thenComparing(ServiceInfo::protocol));
    for (ServiceInfo svc : sorted) {
      String proto = svc.protocol();
      String key = svc.key();
      List<EndpointsInfo.Endpoint> eps = endpoints.getOrDefault(key, new EndpointsInfo(List.of())).endpoints();
      List<String> externalDsts = new ArrayList<>(new TreeSet<>(svc.externalIPs()));
      for (String ip : new TreeSet<>(svc.loadBalancerIPs())) {
        if (!externalDsts.contains(ip)) {
          externalDsts.add(ip);
        }
      }
      if (eps.isEmpty()) {
        rejectRule(reject, "-d " + svc.clusterIP() + "/32", proto, key + " has no endpoints", svc.port());
        for (String ip : externalDsts) {
          rejectRule(reject, "-d " + ip + "/32", proto, key + " has no endpoints", svc.port());
        }
        if (svc.nodePort() > 0) {
          rejectRule(reject, "-m addrtype --dst-type LOCAL", proto, key + " has no endpoints", svc.nodePort());
        }
        continue;
      }
      String svcChain = ChainNames.service(svc);
      natChains.add(svcChain);
      services_.append("-A ").append(ChainNames.SERVICES).append(" -d ").append(svc.clusterIP()).append("/32 -p ")
          .append(proto).append(" -m comment --comment \"").append(key).append(" cluster IP\" -m ").append(proto)
          .append(" --dport ").append(svc.port()).append(" -j ").append(svcChain).append('\n');
      boolean external = svc.nodePort() > 0 || !externalDsts.isEmpty();
      if (external) {
        String extChain = ChainNames.external(svc);
        natChains.add(extChain);
        for (String ip : externalDsts) {
          services_.append("-A ").append(ChainNames.SERVICES).append(" -d ").append(ip).append("/32 -p ")
              .append(proto).append(" -m comment --comment \"").append(key).append(" external IP\" -m ").append(proto)
              .append(" --dport ").append(svc.port()).append(" -j ").append(extChain).append('\n');
        }
        if (svc.nodePort() > 0) {
          nodePorts.append("-A ").append(ChainNames.NODEPORTS).append(" -p ").append(proto)
              .append(" -m comment --comment \"").append(key).append("\" -m ").append(proto).append(" --dport ")
              .append(svc.nodePort()).append(" -j ").append(extChain).append('\n');
        }
        // Traffic from outside reaches an endpoint that may be on another node: SNAT keeps replies symmetric.
        perService.append("-A ").append(extChain).append(" -m comment --comment \"masquerade traffic for ")
            .append(key).append(" external destinations\" -j ").append(ChainNames.MARK_MASQ).append('\n');
        perService.append("-A ").append(extChain).append(" -j ").append(svcChain).append('\n');
      }
      if (!config.clusterCidr().isEmpty()) {
        // Off-cluster source (the node itself, another host) → ClusterIP: masquerade so replies return here.
        perService.append("-A ").append(svcChain).append(" ! -s ").append(config.clusterCidr()).append(" -d ")
            .append(svc.clusterIP()).append("/32 -p ").append(proto).append(" -m comment --comment \"").append(key)
            .append(" cluster IP\" -m ").append(proto).append(" --dport ").append(svc.port()).append(" -j ")
            .append(ChainNames.MARK_MASQ).append('\n');
      }
      List<String> sepChains = new ArrayList<>(eps.size());
      for (EndpointsInfo.Endpoint ep : eps) {
        sepChains.add(ChainNames.endpoint(svc, ep));
      }
      if (svc.affinityTimeoutSeconds() > 0) {
        for (int i = 0; i < eps.size(); i++) {
          perService.append("-A ").append(svcChain).append(" -m comment --comment \"").append(key).append(" -> ")
              .append(eps.get(i)).append("\" -m recent --rcheck --seconds ").append(svc.affinityTimeoutSeconds())
              .append(" --reap --name ").append(sepChains.get(i)).append(" --mask 255.255.255.255 --rsource -j ")
              .append(sepChains.get(i)).append('\n');
        }
      }
      int n = eps.size();
      for (int i = 0; i < n; i++) {
        perService.append("-A ").append(svcChain).append(" -m comment --comment \"").append(key).append(" -> ")
            .append(eps.get(i)).append('"');
        if (i < n - 1) {
          perService.append(" -m statistic --mode random --probability ").append(probability(n - i));
        }
        perService.append(" -j ").append(sepChains.get(i)).append('\n');
      }
      for (int i = 0; i < n; i++) {
        EndpointsInfo.Endpoint ep = eps.get(i);
        String sep = sepChains.get(i);
        natChains.add(sep);
        perService.append("-A ").append(sep).append(" -s ").append(ep.ip()).append("/32 -m comment --comment \"")
            .append(key).append("\" -j ").append(ChainNames.MARK_MASQ).append('\n');
        perService.append("-A ").append(sep).append(" -p ").append(proto).append(" -m comment --comment \"")
            .append(key).append('"');
        if (svc.affinityTimeoutSeconds() > 0) {
          perService.append(" -m recent --set --name ").append(sep).append(" --mask 255.255.255.255 --rsource");
        }
        perService.append(" -m ").append(proto).append(" -j DNAT --to-destination ").append(ep).append('\n');
      }
    }
    nat.append(services_);
    nat.append("-A ").append(ChainNames.SERVICES).append(" -m comment --comment \"minik8s service nodeports; ")
        .append("node addresses ").append(String.join(",", node.addresses()))
        .append("; must be the last rule\" -m addrtype --dst-type LOCAL -j ").append(ChainNames.NODEPORTS)
        .append('\n');
    nat.append(nodePorts);
    nat.append(perService);

    List<Jump> jumps = new ArrayList<>();
    List<String> portals = List.of("-m", "comment", "--comment", "minik8s service portals", "-j", ChainNames.SERVICES);
    jumps.add(new Jump("nat", "PREROUTING", portals));
    jumps.add(new Jump("nat", "OUTPUT", portals));
    jumps.add(new Jump("nat", "POSTROUTING",
        List.of("-m", "comment", "--comment", "minik8s postrouting rules", "-j", ChainNames.POSTROUTING)));
    List<String> filterPortals = List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
        "minik8s service portals", "-j", ChainNames.SERVICES);
    for (String chain : List.of("INPUT", "FORWARD", "OUTPUT")) {
      jumps.add(new Jump("filter", chain, filterPortals));
    }

    Map<String, SortedSet<String>> chains = new HashMap<>();
    chains.put("nat", natChains);
    chains.put("filter", filterChains);
    return new RuleSet(chains, Map.of("nat", nat.toString(), "filter", reject.toString()), jumps);
  }

  private static void rejectRule(StringBuilder b, String match, String proto, String comment, int port) {
    b.append("-A ").append(ChainNames.SERVICES).append(' ').append(match).append(" -p ").append(proto)
        .append(" -m comment --comment \"").append(comment).append("\" -m ").append(proto).append(" --dport ")
        .append(port).append(" -j REJECT --reject-with icmp-port-unreachable\n");
  }

  /**
   * 1/n as iptables-save prints it back: the kernel keeps the probability as a 31-bit fraction, so
   * writing the rounded value makes our text and the saved text agree (1/3 → 0.33333333349).
   */
  static String probability(int n) {
    double scaled = Math.round((1.0 / n) * 0x80000000L) / (double) 0x80000000L;
    return String.format(Locale.ROOT, "%.11f", scaled);
  }
}
