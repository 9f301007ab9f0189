package io.minik8s.bench;

import java.util.Map;

/**
 * Scheduling throughput at scale: pods bound per second (overall, and in the steady middle of the run),
 * creation-to-bound latency seen through a watch, and the time until every pod runs on its hollow node;
 * beside the rate the same etcd takes the same number of bind-sized writes at the scheduler's bind
 * concurrency. Kubernetes' anchor: its scheduler benchmark binds at least 680 pods/s (5,000 nodes, 10,000
 * pods) on its CI. A second phase, "backlog", tells the scheduler's own rate apart from the API server's
 * create rate: P more pods are created with the scheduler stopped, then a new scheduler binds them all.
 * See {@link ScaleScenario} for what runs.
 */
final class SchedulingBenchmark implements Benchmark {
  private final ScaleScenario.Params full;

  SchedulingBenchmark(int nodes, int pods, int clients, String podWatch) {
    this.full = new ScaleScenario.Params(nodes, pods, clients, podWatch);
  }

  @Override
  public String name() {
    return "scheduling";
  }

  static ScaleScenario.Params size(ScaleScenario.Params full, BenchOptions options) {
    return options.smoke() ? new ScaleScenario.Params(20, 200, 4, full.podWatch()) : full;
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    return ScaleScenario.run(size(full, options)).scheduling();
  }

  @Override
  public void print(Map<String, Object> r) {
    RawEtcdWrites.Rates raw = (RawEtcdWrites.Rates) r.get("rawEtcd");
    Percentiles bound = (Percentiles) r.get("createToBound");
    Percentiles running = (Percentiles) r.get("createToRunning");
    System.out.println();
    System.out.printf("scheduling: %d pods onto %d hollow nodes (pod watch: %s), created by %d clients%n",
        r.get("pods"), r.get("nodes"), r.get("podWatch"), r.get("clients"));
    System.out.printf("%-46s %10s%n", "", "per second");
    System.out.printf("%-46s %10.0f%n", "raw etcd: puts of " + raw.valueBytes() + " B, " + raw.concurrency()
        + " at once", raw.putsPerSecond());
    System.out.printf("%-46s %10.0f%n", "raw etcd: read + compare-and-swap (a bind's work)", raw.readCasPerSecond());
    System.out.printf("%-46s %10.0f%n", "pods created (accepted by the API server)", r.get("createdPerSecond"));
    System.out.printf("%-46s %10.0f%n", "pods bound, steady state (middle 80%)", r.get("boundPerSecondSteady"));
    System.out.printf("%-46s %10.0f   (target >= 500; Kubernetes CI >= 680)%n", "pods bound, overall",
        r.get("boundPerSecondOverall"));
    System.out.printf("%-30s %6s %8s %8s %8s%n", "latency (s)", "pods", "p50", "p99", "max");
    System.out.printf("%-30s %6d %8.3f %8.3f %8.3f%n", "create -> bound (watch)", bound.count(), bound.p50(),
        bound.p99(), bound.max());
    System.out.printf("%-30s %6d %8.3f %8.3f %8.3f%n", "create -> Running (watch)", running.count(),
        running.p50(), running.p99(), running.max());
    System.out.printf("nodes Ready after %.1f s; all pods bound after %.1f s, all Running after %.1f s%n",
        r.get("nodesReadySeconds"), r.get("allBoundSeconds"), r.get("allRunningSeconds"));
    System.out.println("scheduler's own metrics: " + r.get("scheduler"));
    System.out.println("API server per pod (CPU ms, etcd requests by operation): " + r.get("apiserverPerPod"));
    @SuppressWarnings("unchecked")
    Map<String, Object> backlog = (Map<String, Object>) r.get("backlog");
    if (backlog != null) {
      System.out.printf("backlog: %d pods created with no scheduler running at %.0f/s (API server per create: %s);%n",
          r.get("pods"), backlog.get("createdPerSecond"), backlog.get("apiserverPerCreate"));
      System.out.printf("  a new scheduler bound them all in %.1f s: %.0f pods/s from its start, %.0f/s from its first"
              + " bind (%.1f s after start); API server per bind: %s%n", backlog.get("allBoundSeconds"),
          backlog.get("boundPerSecondFromStart"), backlog.get("boundPerSecondFromFirstBind"),
          backlog.get("schedulerStartToFirstBindSeconds"), backlog.get("apiserverPerBind"));
      System.out.println("  scheduler's own metrics (backlog): " + backlog.get("scheduler"));
    }
    System.out.println("etcd's disk during the raw writes: " + r.get("etcdDiskDuringRaw") + "; during the pods: "
        + r.get("etcdDiskDuringPods"));
  }
}
