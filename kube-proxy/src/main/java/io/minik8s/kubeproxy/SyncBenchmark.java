package io.minik8s.kubeproxy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.iptables.ExecIptablesRunner;
import io.minik8s.kubeproxy.iptables.IptablesException;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import io.minik8s.kubeproxy.rules.RuleSet;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times a full sync of N Services × 5 endpoints through the {@link Proxier} (generate + iptables-restore)
 * beside a raw {@code iptables-restore} of the same text, inside a throwaway network namespace (created
 * and deleted here; the host's tables are never touched). Needs root. Usage: {@code SyncBenchmark [--raw-first] [N...]}
 * (default 1000 10000). Each measurement starts from a namespace without our chains.
 */
public final class SyncBenchmark {
  private static final int ENDPOINTS = 5;

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean rawFirst = args.length > 0 && args[0].equals("--raw-first");
    String[] rest = rawFirst ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
    int[] sizes = rest.length == 0 ? new int[] {1000, 10000}
        : java.util.Arrays.stream(rest).mapToInt(Integer::parseInt).toArray();
    String ns = "m8s-kp-bench-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", ns);
    try {
      ExecIptablesRunner iptables = ExecIptablesRunner.inNetns(ns);
      System.out.printf(Locale.ROOT, "%8s %8s %10s %12s %10s %6s%n", "services", "rules", "proxier_s", "generate_s",
          "raw_s", "ratio");
      for (int n : sizes) {
        measure(iptables, n, rawFirst);
      }
    } finally {
      run("ip", "netns", "del", ns);
    }
  }

  private static void measure(ExecIptablesRunner iptables, int n, boolean rawFirst) throws Exception {
    Proxier proxier = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "bench", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    proxier.sync(false); // adopt the (empty) namespace and install the jumps: not part of the measurement
    for (int i = 0; i < n; i++) {
      proxier.onService("bench/svc-" + i, service(i));
      proxier.onEndpoints("bench/svc-" + i, endpoints(i));
    }
    long t0 = System.nanoTime();
    RuleSet generated = proxier.desired();
    long generateNanos = System.nanoTime() - t0;

    StringBuilder raw = new StringBuilder();
    for (String table : RuleSet.TABLES) {
      raw.append(generated.restoreText(table, List.of()));
    }
    long rawNanos = 0;
    if (rawFirst) {
      rawNanos = timeRaw(iptables, raw.toString());
    }
    long t1 = System.nanoTime();
    proxier.sync(false);
    long proxierNanos = System.nanoTime() - t1;
    Proxier.cleanup(iptables);
    if (!rawFirst) {
      rawNanos = timeRaw(iptables, raw.toString());
    }

    System.out.printf(Locale.ROOT, "%8d %8d %10.3f %12.3f %10.3f %6.2f%n", n, generated.ruleCount(),
        proxierNanos / 1e9, generateNanos / 1e9, rawNanos / 1e9, (double) proxierNanos / rawNanos);
  }

  /** Times a raw restore of {@code text}, then removes what it made. */
  private static long timeRaw(ExecIptablesRunner iptables, String text) throws IptablesException {
    long t = System.nanoTime();
    rawRestore(iptables, text);
    long nanos = System.nanoTime() - t;
    Proxier.cleanup(iptables);
    return nanos;
  }

  /** One iptables-restore of both tables at once: the floor any proxy implementation pays. */
  private static void rawRestore(ExecIptablesRunner iptables, String text) throws IptablesException {
    iptables.restore("nat", text);
  }

  private static Service service(int i) {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("bench").setName("svc-" + i))
        .setSpec(ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp(ip(96, i))
            .addPorts(ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80)))
        .build();
  }

  private static Endpoints endpoints(int i) {
    EndpointSubset.Builder subset = EndpointSubset.newBuilder()
        .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP"));
    for (int e = 0; e < ENDPOINTS; e++) {
      subset.addAddresses(EndpointAddress.newBuilder().setIp(ip(244, i * ENDPOINTS + e)));
    }
    return Endpoints.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("bench").setName("svc-" + i)).addSubsets(subset).build();
  }

  private static String ip(int second, int n) {
    return "10." + second + "." + (n / 250) % 250 + "." + (n % 250 + 1);
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed");
    }
  }
}
