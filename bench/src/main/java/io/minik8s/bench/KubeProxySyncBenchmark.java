package io.minik8s.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.Proxier;
import io.minik8s.kubeproxy.iptables.ExecIptablesRunner;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import io.minik8s.kubeproxy.rules.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-proxy's full sync of N Services × 5 endpoints through the real {@link Proxier} (generate the rules,
 * then one {@code iptables-restore --noflush}) beside {@code iptables-restore} alone fed the same text,
 * each in a network namespace of its own that starts empty and is deleted afterwards (the host's tables are
 * never touched; deleting the namespace is also the cheapest way to drop 100,000 rules).
 *
 * <p>Two more raw rows explain where the floor comes from: the same restore preceded by one chain-less
 * command ({@code -Z}), which makes iptables-nft fetch the table's chains once instead of keeping a sorted
 * list of every chain named so far (see the README); and a restore of only one service's chains with all
 * the others in place, which is what a kube-proxy that writes only changed chains would pay per change.
 */
final class KubeProxySyncBenchmark implements Benchmark {
  static final int ENDPOINTS = 5;
  static final int SMOKE_SERVICES = 50;
  static final double TARGET_RATIO = 1.2;

  private final List<Integer> sizes;

  KubeProxySyncBenchmark(List<Integer> sizes) {
    this.sizes = sizes; // as parsed; null only when BenchMain lists the names
  }

  @Override
  public String name() {
    return "kube-proxy-sync";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    List<Integer> run = options.smoke() ? List.of(SMOKE_SERVICES) : sizes;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int n : run) {
      rows.add(measure(n));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("endpointsPerService", ENDPOINTS);
    result.put("iptables", iptablesVersion());
    result.put("targetRatio", TARGET_RATIO);
    result.put("sizes", rows);
    return result;
  }

  private static Map<String, Object> measure(int services) throws Exception {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("services", services);
    String rawText;
    try (ThrowawayNetns ns = ThrowawayNetns.create("kp-sync")) {
      Proxier proxier = new Proxier(ExecIptablesRunner.inNetns(ns.name()), ProxyConfig.of("10.244.0.0/16"), "bench",
          Duration.ofSeconds(1), Duration.ofSeconds(30), new SimpleMeterRegistry());
      proxier.sync(false); // adopts the empty namespace and installs the jumps: not measured
      for (int i = 0; i < services; i++) {
        proxier.onService("bench/svc-" + i, service(i));
        proxier.onEndpoints("bench/svc-" + i, endpoints(i));
      }
      proxier.desired(); // warms the generator up, so that neither timing below pays for the JIT
      long t0 = System.nanoTime();
      RuleSet rules = proxier.desired();
      long generated = System.nanoTime();
      proxier.sync(false);
      long synced = System.nanoTime();
      row.put("rules", rules.ruleCount());
      row.put("generateSeconds", (generated - t0) / 1e9);
      row.put("proxierSeconds", (synced - generated) / 1e9); // the sync generates the rules again itself
      StringBuilder text = new StringBuilder();
      for (String table : RuleSet.TABLES) {
        text.append(rules.restoreText(table, Set.of()));
      }
      rawText = text.toString();
    }
    try (ThrowawayNetns ns = ThrowawayNetns.create("kp-sync")) {
      ExecIptablesRunner iptables = ExecIptablesRunner.inNetns(ns.name());
      row.put("rawSeconds", timeRestore(iptables, rawText));
      row.put("rawOneServiceSeconds", timeRestore(iptables, oneServiceText(rawText, services / 2)));
    }
    try (ThrowawayNetns ns = ThrowawayNetns.create("kp-sync")) {
      String withZero = rawText.replaceFirst("\\*nat\n", "*nat\n-Z\n");
      row.put("rawChainlessFirstSeconds", timeRestore(ExecIptablesRunner.inNetns(ns.name()), withZero));
    }
    row.put("ratio", (double) row.get("proxierSeconds") / (double) row.get("rawSeconds"));
    return row;
  }

  private static double timeRestore(ExecIptablesRunner iptables, String text) throws Exception {
    long t = System.nanoTime();
    iptables.restore("nat", text); // the text carries its own *table headers
    return (System.nanoTime() - t) / 1e9;
  }

  /**
   * The restore text of service {@code index}'s own chains only (its SVC chain and its endpoints' SEP
   * chains, declared and refilled), cut from the full text: what a sync of one changed Endpoints writes
   * when only changed chains are restored.
   */
  static String oneServiceText(String fullText, int index) {
    String marker = "\"bench/svc-" + index + ":http cluster IP\"";
    String svcChain = null;
    for (String line : (Iterable<String>) fullText.lines()::iterator) {
      if (line.startsWith("-A MINIK8S-SERVICES ") && line.contains(marker)) {
        svcChain = line.substring(line.lastIndexOf(" -j ") + 4);
        break;
      }
    }
    if (svcChain == null) {
      throw new IllegalStateException("no rule for bench/svc-" + index + " in the generated text");
    }
    List<String> chains = new ArrayList<>(List.of(svcChain));
    List<String> rules = new ArrayList<>();
    for (String line : (Iterable<String>) fullText.lines()::iterator) {
      if (line.startsWith("-A " + svcChain + " ")) {
        rules.add(line);
        String target = line.substring(line.lastIndexOf(" -j ") + 4);
        if (target.startsWith(RuleSet.CHAIN_PREFIX + "SEP-")) {
          chains.add(target);
        }
      }
    }
    for (String line : (Iterable<String>) fullText.lines()::iterator) {
      for (String chain : chains.subList(1, chains.size())) {
        if (line.startsWith("-A " + chain + " ")) {
          rules.add(line);
        }
      }
    }
    StringBuilder b = new StringBuilder("*nat\n");
    chains.forEach(c -> b.append(':').append(c).append(" - [0:0]\n"));
    rules.forEach(r -> b.append(r).append('\n'));
    return b.append("COMMIT\n").toString();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void print(Map<String, Object> result) {
    System.out.println();
    System.out.println("kube-proxy full sync of N Services x " + ENDPOINTS + " endpoints, each in a fresh network"
        + " namespace (seconds; " + result.get("iptables") + ")");
    System.out.printf("%8s %8s %9s %9s %9s %7s %14s %12s%n", "services", "rules", "proxier", "generate", "raw",
        "ratio", "raw -Z first", "raw 1 svc");
    for (Map<String, Object> row : (List<Map<String, Object>>) result.get("sizes")) {
      System.out.printf("%8d %8d %9.3f %9.3f %9.3f %7.2f %14.3f %12.3f%n", row.get("services"), row.get("rules"),
          row.get("proxierSeconds"), row.get("generateSeconds"), row.get("rawSeconds"), row.get("ratio"),
          row.get("rawChainlessFirstSeconds"), row.get("rawOneServiceSeconds"));
    }
    System.out.printf("target: proxier / raw <= %.1f. proxier = generate + iptables-restore; raw = iptables-restore of"
        + " the same text; -Z first = the same text after one chain-less command; 1 svc = only one service's chains,"
        + " the others in place%n", TARGET_RATIO);
  }

  private static String iptablesVersion() {
    try {
      return ThrowawayNetns.run(List.of("iptables", "--version")).strip();
    } catch (java.io.IOException e) {
      return "iptables (version unknown)";
    }
  }

  static Service service(int i) {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("bench").setName("svc-" + i))
        .setSpec(ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp(ip(96, i))
            .addPorts(ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80)))
        .build();
  }

  static Endpoints endpoints(int i) {
    EndpointSubset.Builder subset = EndpointSubset.newBuilder()
        .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP"));
    for (int e = 0; e < ENDPOINTS; e++) {
      subset.addAddresses(EndpointAddress.newBuilder().setIp(ip(244, i * ENDPOINTS + e)));
    }
    return Endpoints.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("bench").setName("svc-" + i)).addSubsets(subset).build();
  }

  /** A distinct address per {@code n} in 10.{second}.0.0/16 (up to 62,500 of them). */
  static String ip(int second, int n) {
    return "10." + second + "." + (n / 250) % 250 + "." + (n % 250 + 1);
  }
}
