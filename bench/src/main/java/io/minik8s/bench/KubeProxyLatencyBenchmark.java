package io.minik8s.bench;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * Network programming latency: from an Endpoints change written through the API server (a real process on a
 * real etcd) to the matching DNAT rules being in place in iptables, with a real kube-proxy process
 * ({@code ip netns exec}, so it programs a throwaway network namespace, never the host) that reaches the API
 * server over a veth pair. kube-proxy runs with {@code --min-sync-period 1s}; the changes (one endpoint
 * address added or removed) come at random intervals, uniform in [0, 2 s), so some land inside the minimum
 * period and wait for it, as in a real cluster. Other Services (× 5 endpoints) are programmed too.
 *
 * <p>The rules are observed by polling {@code iptables-save -t nat} in the namespace back to back; a change
 * counts as seen at the END of the first poll that shows exactly the expected endpoints, so each sample may be
 * late by up to one poll (the resolution, reported). Beside it: kube-proxy's own sync durations from the
 * histogram on its {@code /metrics}.
 */
final class KubeProxyLatencyBenchmark implements Benchmark {
  static final String NAMESPACE = "bench-kp";
  static final String SERVICE = "lat-0";
  static final Duration MIN_SYNC_PERIOD = Duration.ofSeconds(1);
  static final Duration TARGET_SLACK = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final int changes;
  private final int background;

  KubeProxyLatencyBenchmark(int changes, int background) {
    this.changes = changes;
    this.background = background;
  }

  @Override
  public String name() {
    return "kube-proxy-latency";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    int changeCount = options.smoke() ? 4 : changes;
    int others = options.smoke() ? 5 : background;
    Map<String, Object> result = new LinkedHashMap<>();
    try (Cluster cluster = Cluster.startControlPlane(); ThrowawayNetns ns = ThrowawayNetns.create("kp-lat")) {
      ns.linkToHost();
      int apiPort = Integer.parseInt(cluster.server().substring(cluster.server().lastIndexOf(':') + 1));
      try (TcpForwarder toApi = TcpForwarder.start(ns.hostAddress(), new InetSocketAddress("127.0.0.1", apiPort))) {
        ApiClient client = cluster.client();
        client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
        for (int i = 0; i < others; i++) {
          createService(client, "bg-" + i, KubeProxySyncBenchmark.endpoints(i).getSubsets(0).getAddressesList()
              .stream().map(EndpointAddress::getIp).toList());
        }
        Addresses addresses = new Addresses();
        createService(client, SERVICE, List.copyOf(addresses.current));

        int healthPort = FreePorts.one();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        try (ProcessRunner kubeProxy = ProcessRunner.command("ip", "netns", "exec", ns.name(), java, "-Xmx128m",
                "-XX:+UseSerialGC", "-jar", Cluster.jar("kube-proxy", "kube-proxy").toString(),
                "--apiserver", ns.hostAddress() + ":" + toApi.port(), "--node-name", "bench-node",
                "--min-sync-period", MIN_SYNC_PERIOD.toMillis() + "ms", "--health-port", Integer.toString(healthPort),
                "--health-bind-address", ns.address())
            .name("kube-proxy-bench").build().start()) {
          String base = "http://" + ns.address() + ":" + healthPort;
          kubeProxy.awaitHttpOk(URI.create(base + "/readyz"), Duration.ofSeconds(60));
          RulePoller poller = new RulePoller(ns, NAMESPACE + "/" + SERVICE + ":http");
          poller.awaitEndpoints(addresses.current, WAIT);
          poller.resetResolution();
          SyncMetrics before = SyncMetrics.read(URI.create(base + "/metrics"));

          Random random = new Random(42);
          List<Duration> latencies = new ArrayList<>();
          List<Duration> writes = new ArrayList<>();
          for (int i = 0; i < changeCount; i++) {
            Thread.sleep(random.nextInt((int) (2 * MIN_SYNC_PERIOD.toMillis())));
            addresses.change(random);
            long t0 = System.nanoTime();
            client.update(endpoints(SERVICE, List.copyOf(addresses.current)));
            writes.add(Duration.ofNanos(System.nanoTime() - t0));
            long seen = poller.awaitEndpoints(addresses.current, WAIT);
            latencies.add(Duration.ofNanos(seen - t0));
          }
          SyncMetrics syncs = SyncMetrics.read(URI.create(base + "/metrics")).since(before);

          result.put("changes", changeCount);
          result.put("otherServices", others);
          result.put("minSyncPeriodSeconds", MIN_SYNC_PERIOD.toMillis() / 1000.0);
          result.put("targetSeconds", (MIN_SYNC_PERIOD.plus(TARGET_SLACK)).toMillis() / 1000.0);
          result.put("latency", Percentiles.of(latencies));
          result.put("apiWrite", Percentiles.of(writes));
          result.put("pollResolution", poller.resolution());
          result.put("kubeProxySyncs", syncs.count());
          result.put("kubeProxySyncMeanSeconds", syncs.meanSeconds());
          result.put("kubeProxySyncP50UpperBoundSeconds", syncs.percentileUpperBound(50));
          result.put("kubeProxySyncP99UpperBoundSeconds", syncs.percentileUpperBound(99));
        }
      }
    }
    return result;
  }

  private static void createService(ApiClient client, String name, List<String> ips) {
    client.create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NAMESPACE).setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("ClusterIP")
            .addPorts(ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80)))
        .build());
    client.create(endpoints(name, ips));
  }

  private static Endpoints endpoints(String name, List<String> ips) {
    EndpointSubset.Builder subset = EndpointSubset.newBuilder()
        .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP"));
    ips.forEach(ip -> subset.addAddresses(EndpointAddress.newBuilder().setIp(ip)));
    return Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(NAMESPACE).setName(name))
        .addSubsets(subset).build();
  }

  @Override
  public void print(Map<String, Object> r) {
    Percentiles latency = (Percentiles) r.get("latency");
    Percentiles resolution = (Percentiles) r.get("pollResolution");
    Percentiles write = (Percentiles) r.get("apiWrite");
    System.out.println();
    System.out.printf("kube-proxy: Endpoints change (API write) -> DNAT rules in iptables, %d changes, %d other Services"
        + " x 5 endpoints, --min-sync-period %.0fs (seconds)%n", r.get("changes"), r.get("otherServices"),
        r.get("minSyncPeriodSeconds"));
    System.out.printf("%-42s %8s %8s %8s%n", "", "p50", "p99", "max");
    System.out.printf("%-42s %8.3f %8.3f %8.3f   target p99 <= %.1f (min sync period + 100 ms)%n",
        "change -> rules in place", latency.p50(), latency.p99(), latency.max(), r.get("targetSeconds"));
    System.out.printf("%-42s %8.3f %8.3f %8.3f%n", "  of which the API write", write.p50(), write.p99(), write.max());
    System.out.printf("%-42s %8.3f %8.3f %8.3f%n", "  poll of iptables-save (resolution)", resolution.p50(),
        resolution.p99(), resolution.max());
    System.out.printf("%-42s %8s %8s   mean %.3f over %.0f syncs (bucket upper bounds: p50 %.3f, p99 %.3f)%n",
        "kube-proxy's own sync (from /metrics)", "", "", r.get("kubeProxySyncMeanSeconds"), r.get("kubeProxySyncs"),
        r.get("kubeProxySyncP50UpperBoundSeconds"), r.get("kubeProxySyncP99UpperBoundSeconds"));
  }

  /** The endpoint addresses of the timed Service: between 2 and 5, one added or removed per change. */
  private static final class Addresses {
    final Set<String> current = new TreeSet<>();
    private int next;

    Addresses() {
      for (int i = 0; i < 3; i++) {
        current.add(fresh());
      }
    }

    void change(Random random) {
      boolean add = current.size() <= 2 || (current.size() < 5 && random.nextBoolean());
      if (add) {
        current.add(fresh());
      } else {
        List<String> list = new ArrayList<>(current);
        current.remove(list.get(random.nextInt(list.size())));
      }
    }

    private String fresh() {
      return KubeProxySyncBenchmark.ip(77, next++);
    }
  }

  /**
   * Polls {@code iptables-save -t nat} inside the namespace, back to back, for the DNAT destinations of one
   * Service; remembers how long each poll took (the resolution of what it observes).
   */
  private static final class RulePoller {
    private final ThrowawayNetns ns;
    private final String comment;
    private final List<Duration> polls = new ArrayList<>();

    /** @param servicePortKey "namespace/name:port", as kube-proxy writes it in its rule comments */
    RulePoller(ThrowawayNetns ns, String servicePortKey) {
      this.ns = ns;
      this.comment = "\"" + servicePortKey + "\"";
    }

    /** Polls until the Service's DNAT destinations are exactly {@code ips}; returns the end of that poll. */
    long awaitEndpoints(Set<String> ips, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      Set<String> seen = Set.of();
      while (System.nanoTime() < deadline) {
        long start = System.nanoTime();
        seen = destinations(ns.exec("iptables-save", "-t", "nat"));
        long end = System.nanoTime();
        polls.add(Duration.ofNanos(end - start));
        if (seen.equals(ips)) {
          return end;
        }
      }
      throw new TimeoutException("kube-proxy did not program " + ips + " within " + timeout + "; last seen " + seen);
    }

    private Set<String> destinations(String saved) {
      Set<String> ips = new TreeSet<>();
      for (String line : (Iterable<String>) saved.lines()::iterator) {
        int to = line.indexOf("--to-destination ");
        if (to >= 0 && line.contains(comment)) {
          String destination = line.substring(to + "--to-destination ".length()).split(" ")[0];
          ips.add(destination.substring(0, destination.lastIndexOf(':')));
        }
      }
      return ips;
    }

    void resetResolution() {
      polls.clear();
    }

    Percentiles resolution() {
      return Percentiles.of(polls);
    }
  }
}
