package io.minik8s.bench;

import java.util.Map;

/**
 * Resident memory (VmRSS) and live heap (used right after a full GC) of the API server, the scheduler,
 * the controller-manager and the hollow-nodes process: with the control plane idle, with the hollow nodes
 * registered, and with every pod running on them (the hollow-nodes process also per node). Targets: API
 * server below 1 GiB at 10,000 pods, scheduler below 512 MiB. Sampled during the {@link ScaleScenario}
 * run that {@code scheduling} also reports (run once when both are asked for).
 */
final class MemoryBenchmark implements Benchmark {
  private final ScaleScenario.Params full;

  MemoryBenchmark(int nodes, int pods, int clients, String podWatch) {
    this.full = new ScaleScenario.Params(nodes, pods, clients, podWatch);
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    return ScaleScenario.run(SchedulingBenchmark.size(full, options)).memory();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void print(Map<String, Object> r) {
    int nodes = (Integer) r.get("nodes");
    System.out.println();
    System.out.printf("memory (MiB): RSS / live heap after a full GC; heaps (-Xmx): %s%n", r.get("heaps"));
    System.out.printf("%-20s %18s %22s %26s%n", "process", "idle", nodes + " nodes", nodes + " nodes, "
        + r.get("pods") + " pods");
    Map<String, ProcessMemory> idle = (Map<String, ProcessMemory>) r.get("idle");
    Map<String, ProcessMemory> withNodes = (Map<String, ProcessMemory>) r.get("withNodes");
    Map<String, ProcessMemory> loaded = (Map<String, ProcessMemory>) r.get("loaded");
    for (String process : loaded.keySet()) {
      System.out.printf("%-20s %18s %22s %26s%n", process, cell(idle.get(process)), cell(withNodes.get(process)),
          cell(loaded.get(process)));
    }
    ProcessMemory hollow = loaded.get("hollow-nodes");
    System.out.printf("per hollow node (loaded): RSS %.2f MiB, live heap %.3f MiB%n", hollow.rssMiB() / nodes,
        hollow.heapAfterGcMiB() / nodes);
    System.out.printf("targets: API server RSS < 1024 MiB (%.0f), scheduler RSS < 512 MiB (%.0f)%n",
        loaded.get("apiserver").rssMiB(), loaded.get("scheduler").rssMiB());
  }

  private static String cell(ProcessMemory m) {
    return m == null ? "-" : String.format("%.0f / %.0f", m.rssMiB(), m.heapAfterGcMiB());
  }
}
