package io.minik8s.kubeproxy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.kubeproxy.rules.EndpointsInfo.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleGeneratorTest {
  private static final ProxyConfig CONFIG = ProxyConfig.of("10.244.0.0/16");
  private static final NodeInfo NODE = new NodeInfo(List.of("192.168.1.10"));

  private static ServiceInfo web() {
    return new ServiceInfo("default", "web", "http", "tcp", "10.96.0.50", 80, 0, List.of(), List.of(), 0);
  }

  private static Map<String, EndpointsInfo> threeEndpoints(ServiceInfo svc) {
    return Map.of(svc.key(), EndpointsInfo.of(new Endpoint("10.244.1.7", 8080), new Endpoint("10.244.1.5", 8080),
        new Endpoint("10.244.1.6", 8080)));
  }

  private static List<String> lines(String text, String chain) {
    return text.lines().filter(l -> l.startsWith("-A " + chain + " ")).toList();
  }

  @Test
  void clusterIpSpreadsOverThreeEndpointsWithKubeProxyProbabilities() {
    ServiceInfo svc = web();
    RuleSet rules = RuleGenerator.generate(List.of(svc), threeEndpoints(svc), NODE, CONFIG);
    String nat = rules.restoreText("nat", List.of());
    String svcChain = ChainNames.service(svc);

    assertThat(svcChain).startsWith("MINIK8S-SVC-").hasSize(28);
    assertThat(lines(nat, "MINIK8S-SERVICES")).contains("-A MINIK8S-SERVICES -d 10.96.0.50/32 -p tcp -m comment "
        + "--comment \"default/web:http cluster IP\" -m tcp --dport 80 -j " + svcChain);
    List<String> svcRules = lines(nat, svcChain);
    assertThat(svcRules).hasSize(4);
    assertThat(svcRules.get(0)).isEqualTo("-A " + svcChain + " ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp "
        + "-m comment --comment \"default/web:http cluster IP\" -m tcp --dport 80 -j MINIK8S-MARK-MASQ");
    assertThat(svcRules.get(1)).contains("10.244.1.5:8080").contains("--probability 0.33333333349");
    assertThat(svcRules.get(2)).contains("10.244.1.6:8080").contains("--probability 0.50000000000");
    assertThat(svcRules.get(3)).contains("10.244.1.7:8080").doesNotContain("statistic");

    String sep = ChainNames.endpoint(svc, new Endpoint("10.244.1.5", 8080));
    assertThat(svcRules.get(1)).endsWith("-j " + sep);
    assertThat(lines(nat, sep)).containsExactly(
        "-A " + sep + " -s 10.244.1.5/32 -m comment --comment \"default/web:http\" -j MINIK8S-MARK-MASQ",
        "-A " + sep + " -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination 10.244.1.5:8080");
    assertThat(nat).startsWith("*nat\n").endsWith("COMMIT\n").contains(":" + sep + " - [0:0]\n");
    assertThat(lines(nat, "MINIK8S-POSTROUTING")).containsExactly(
        "-A MINIK8S-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A MINIK8S-POSTROUTING -j MARK --xor-mark 0x4000",
        "-A MINIK8S-POSTROUTING -m comment --comment \"minik8s service traffic requiring SNAT\" -j MASQUERADE");
    assertThat(rules.restoreText("filter", List.of())).isEqualTo("*filter\n:MINIK8S-SERVICES - [0:0]\nCOMMIT\n");
  }

  @Test
  void probabilitiesAreWhatIptablesSavePrintsBack() {
    assertThat(RuleGenerator.probability(2)).isEqualTo("0.50000000000");
    assertThat(RuleGenerator.probability(3)).isEqualTo("0.33333333349");
    assertThat(RuleGenerator.probability(5)).isEqualTo("0.20000000019");
  }

  @Test
  void nodePortExternalAndLoadBalancerIpsGoThroughTheExternalChain() {
    ServiceInfo svc = new ServiceInfo("default", "web", "", "tcp", "10.96.0.50", 80, 30080, List.of("192.0.2.9"),
        List.of("198.51.100.7"), 0);
    RuleSet rules = RuleGenerator.generate(List.of(svc), threeEndpoints(svc), NODE, CONFIG);
    String nat = rules.restoreText("nat", List.of());
    String ext = ChainNames.external(svc);

    assertThat(lines(nat, "MINIK8S-NODEPORTS")).containsExactly("-A MINIK8S-NODEPORTS -p tcp -m comment --comment "
        + "\"default/web:\" -m tcp --dport 30080 -j " + ext);
    List<String> services = lines(nat, "MINIK8S-SERVICES");
    assertThat(services).anyMatch(l -> l.contains("-d 192.0.2.9/32") && l.endsWith("-j " + ext));
    assertThat(services).anyMatch(l -> l.contains("-d 198.51.100.7/32") && l.endsWith("-j " + ext));
    assertThat(services.get(services.size() - 1)).endsWith("-m addrtype --dst-type LOCAL -j MINIK8S-NODEPORTS");
    assertThat(lines(nat, ext)).containsExactly(
        "-A " + ext + " -m comment --comment \"masquerade traffic for default/web: external destinations\" -j "
            + "MINIK8S-MARK-MASQ",
        "-A " + ext + " -j " + ChainNames.service(svc));
  }

  @Test
  void serviceWithoutEndpointsIsRejectedInTheFilterTable() {
    ServiceInfo svc = new ServiceInfo("default", "web", "", "tcp", "10.96.0.50", 80, 30080, List.of(), List.of(), 0);
    RuleSet rules = RuleGenerator.generate(List.of(svc), Map.of(), NODE, CONFIG);

    assertThat(rules.restoreText("nat", List.of())).doesNotContain("MINIK8S-SVC-").doesNotContain("DNAT");
    assertThat(lines(rules.restoreText("filter", List.of()), "MINIK8S-SERVICES")).containsExactly(
        "-A MINIK8S-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment \"default/web: has no endpoints\" -m tcp "
            + "--dport 80 -j REJECT --reject-with icmp-port-unreachable",
        "-A MINIK8S-SERVICES -m addrtype --dst-type LOCAL -p tcp -m comment --comment \"default/web: has no "
            + "endpoints\" -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable");
  }

  @Test
  void clientIpAffinityChecksAndSetsRecentWithTheTimeout() {
    ServiceInfo svc = new ServiceInfo("default", "web", "http", "tcp", "10.96.0.50", 80, 0, List.of(), List.of(), 600);
    Map<String, EndpointsInfo> eps = Map.of(svc.key(),
        EndpointsInfo.of(new Endpoint("10.244.1.5", 8080), new Endpoint("10.244.1.6", 8080)));
    String nat = RuleGenerator.generate(List.of(svc), eps, NODE, CONFIG).restoreText("nat", List.of());
    String sep = ChainNames.endpoint(svc, new Endpoint("10.244.1.5", 8080));

    List<String> svcRules = lines(nat, ChainNames.service(svc));
    assertThat(svcRules.get(1)).isEqualTo("-A " + ChainNames.service(svc) + " -m comment --comment "
        + "\"default/web:http -> 10.244.1.5:8080\" -m recent --rcheck --seconds 600 --reap --name " + sep
        + " --mask 255.255.255.255 --rsource -j " + sep);
    assertThat(lines(nat, sep).get(1)).contains("-m recent --set --name " + sep + " --mask 255.255.255.255 --rsource");
  }

  @Test
  void staleChainsAreEmptiedAndDeletedButForeignChainsAreLeftAlone() {
    ServiceInfo svc = web();
    RuleSet rules = RuleGenerator.generate(List.of(svc), threeEndpoints(svc), NODE, CONFIG);
    String nat = rules.restoreText("nat", List.of("MINIK8S-SVC-GONE", "MINIK8S-SEP-GONE", ChainNames.service(svc),
        "KUBE-SERVICES", "DOCKER"));

    assertThat(nat).contains(":MINIK8S-SEP-GONE - [0:0]\n", ":MINIK8S-SVC-GONE - [0:0]\n")
        .endsWith("-X MINIK8S-SEP-GONE\n-X MINIK8S-SVC-GONE\nCOMMIT\n")
        .doesNotContain("-X " + ChainNames.service(svc)).doesNotContain("KUBE-SERVICES").doesNotContain("DOCKER");
    assertThat(RuleSet.deleteAllText("nat", List.of("MINIK8S-SERVICES", "OTHER")))
        .isEqualTo("*nat\n:MINIK8S-SERVICES - [0:0]\n-X MINIK8S-SERVICES\nCOMMIT\n");
  }

  @Test
  void outputIsDeterministicWhateverTheInputOrder() {
    ServiceInfo a = web();
    ServiceInfo b = new ServiceInfo("default", "api", "", "udp", "10.96.0.60", 53, 0, List.of(), List.of(), 0);
    Map<String, EndpointsInfo> eps = new HashMap<>(threeEndpoints(a));
    eps.put(b.key(), EndpointsInfo.of(new Endpoint("10.244.2.2", 53), new Endpoint("10.244.2.1", 53)));

    RuleSet one = RuleGenerator.generate(List.of(a, b), eps, NODE, CONFIG);
    RuleSet two = RuleGenerator.generate(List.of(b, a), new HashMap<>(eps), NODE, CONFIG);

    assertThat(one.text()).isEqualTo(two.text());
    assertThat(one.text().indexOf("default/api:")).isLessThan(one.text().indexOf("default/web:http"));
    assertThat(one.text()).contains("-p udp -m comment --comment \"default/api: cluster IP\" -m udp --dport 53");
    assertThat(one.ruleCount()).isEqualTo((int) one.text().lines().filter(l -> l.startsWith("-A ")).count());
  }
}
