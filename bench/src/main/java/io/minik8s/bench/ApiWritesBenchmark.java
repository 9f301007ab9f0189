package io.minik8s.bench;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.api.ApiClient;
import io.minik8s.testkit.Cluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods created per second through the API server (a real process on a real etcd, both started here), at
 * each concurrency, beside jetcd writing the same bytes straight to the same etcd under a key prefix of its
 * own, with the same concurrency and count, one "create if absent" transaction per pod as the API server's
 * storage does. The raw values are the pods exactly as the API server stored them in the run just before
 * (defaults, uid and timestamps included), so both sides write the same payloads.
 *
 * <p>Also the CPU the API server and etcd used per pod (from {@code /proc}), which tells where the time goes.
 */
final class ApiWritesBenchmark implements Benchmark {
  static final String NAMESPACE = "bench-writes";
  static final String RAW_PREFIX = "/bench-raw/pods/";
  static final double TARGET_RATIO = 0.7;
  static final double SLO_P99_SECONDS = 1.0;
  static final List<Integer> CONCURRENCY = List.of(1, 16, 64);
  private static final int WARMUP = 1000;
  private static final int SMOKE_PODS = 30;

  private final int pods;

  /** @param pods pods created per concurrency level on each side */
  ApiWritesBenchmark(int pods) {
    this.pods = pods;
  }

  @Override
  public String name() {
    return "api-writes";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    int count = options.smoke() ? SMOKE_PODS : pods;
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Cluster cluster = Cluster.startControlPlane(); RawEtcd raw = RawEtcd.connect(cluster.etcd().endpoint())) {
      ApiClient client = cluster.client();
      client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
      long apiPid = cluster.apiServer().pid();
      long etcdPid = cluster.etcd().pid();
      // Warm-up (JIT, connections, etcd's first pages) on both sides, not measured.
      int warmup = options.smoke() ? 10 : WARMUP;
      LoadRun.run(warmup, 16, i -> client.create(pod(NAMESPACE, "warmup-" + i)));
      Map<String, byte[]> warmValues = raw.values("/registry/pods/" + NAMESPACE + "/warmup-");
      List<byte[]> warm = new ArrayList<>(warmValues.values());
      LoadRun.run(warmup, 16, i -> raw.create(RAW_PREFIX + NAMESPACE + "/warmup-" + i, warm.get(i)));

      for (int concurrency : CONCURRENCY) {
        String prefix = "c" + concurrency + "-";
        double apiCpu0 = ProcessCpu.seconds(apiPid);
        double etcdCpu0 = ProcessCpu.seconds(etcdPid);
        LoadRun api = LoadRun.run(count, concurrency, i -> client.create(pod(NAMESPACE, prefix + i)));
        double apiCpu = ProcessCpu.seconds(apiPid) - apiCpu0;
        double etcdCpuApi = ProcessCpu.seconds(etcdPid) - etcdCpu0;

        List<byte[]> values = new ArrayList<>(raw.values("/registry/pods/" + NAMESPACE + "/" + prefix).values());
        if (values.size() != count) {
          throw new IllegalStateException("found " + values.size() + " stored pods, expected " + count);
        }
        double etcdCpu1 = ProcessCpu.seconds(etcdPid);
        LoadRun direct = LoadRun.run(count, concurrency, i -> raw.create(RAW_PREFIX + NAMESPACE + "/" + prefix + i,
            values.get(i)));
        double etcdCpuRaw = ProcessCpu.seconds(etcdPid) - etcdCpu1;

        Map<String, Object> row = new LinkedHashMap<>();
        row.put("concurrency", concurrency);
        row.put("pods", count);
        row.put("podBytes", values.stream().mapToInt(v -> v.length).average().orElse(0));
        row.put("apiPerSecond", api.perSecond());
        row.put("apiLatency", api.latency());
        row.put("rawPerSecond", direct.perSecond());
        row.put("rawLatency", direct.latency());
        row.put("ratio", api.perSecond() / direct.perSecond());
        row.put("apiServerCpuMillisPerPod", apiCpu * 1000 / count);
        row.put("etcdCpuMillisPerPodApi", etcdCpuApi * 1000 / count);
        row.put("etcdCpuMillisPerPodRaw", etcdCpuRaw * 1000 / count);
        rows.add(row);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("targetRatio", TARGET_RATIO);
    result.put("sloP99Seconds", SLO_P99_SECONDS);
    result.put("levels", rows);
    return result;
  }

  /** A pod as a controller would create it: labels, one container with resources. */
  static Pod pod(String namespace, String name) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(namespace).putLabels("app", "bench")
            .putLabels("tier", "writes"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c")
            .setImage("localhost/busybox:latest").addCommand("sleep").addCommand("3600")
            .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "10m").putRequests("memory", "16Mi"))))
        .build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void print(Map<String, Object> result) {
    System.out.println();
    System.out.println("API writes: pods created through the API server vs jetcd txn-create of the same bytes straight"
        + " to the same etcd");
    System.out.printf("%5s %6s %6s | %9s %8s %8s | %9s %8s %8s | %6s | %s%n", "conc", "pods", "bytes", "api pod/s",
        "p50 ms", "p99 ms", "raw pod/s", "p50 ms", "p99 ms", "ratio", "cpu ms/pod: apiserver, etcd(api), etcd(raw)");
    for (Map<String, Object> row : (List<Map<String, Object>>) result.get("levels")) {
      Percentiles api = (Percentiles) row.get("apiLatency");
      Percentiles raw = (Percentiles) row.get("rawLatency");
      System.out.printf("%5d %6d %6.0f | %9.0f %8.2f %8.2f | %9.0f %8.2f %8.2f | %6.2f | %.2f, %.2f, %.2f%n",
          row.get("concurrency"), row.get("pods"), row.get("podBytes"), row.get("apiPerSecond"), api.p50() * 1000,
          api.p99() * 1000, row.get("rawPerSecond"), raw.p50() * 1000, raw.p99() * 1000, row.get("ratio"),
          row.get("apiServerCpuMillisPerPod"), row.get("etcdCpuMillisPerPodApi"), row.get("etcdCpuMillisPerPodRaw"));
    }
    System.out.printf("target: api/raw pods per second >= %.1f; Kubernetes' SLO: p99 of a mutating call <= %.0f s%n",
        TARGET_RATIO, SLO_P99_SECONDS);
  }
}
