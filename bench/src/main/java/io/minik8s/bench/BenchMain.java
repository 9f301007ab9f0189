package io.minik8s.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench/run.sh [NAME...]}: runs the named benchmarks (all when none is named), prints a table
 * for each with the raw baseline measured in the same run, and writes JSON to {@code bench/results/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "minik8s benchmarks, each beside the raw runtime or etcd underneath it.")
public final class BenchMain implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "NAME", description = "Benchmarks to run: ${COMPLETION-CANDIDATES}",
      completionCandidates = Names.class)
  List<String> names;

  @Option(names = "--smoke", description = "A few iterations only: checks that each benchmark still runs.")
  boolean smoke;

  @Option(names = "--pods", defaultValue = "20",
      description = "pod-startup: pods created one after another (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--burst", defaultValue = "30",
      description = "pod-startup: pods created at once (default: ${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--proxy-services", split = ",", defaultValue = "1000,5000",
      description = "kube-proxy-sync: Services (x 5 endpoints) per full sync (default: ${DEFAULT-VALUE}).")
  List<Integer> proxyServices;

  @Option(names = "--proxy-changes", defaultValue = "40",
      description = "kube-proxy-latency: Endpoints changes timed (default: ${DEFAULT-VALUE}).")
  int proxyChanges;

  @Option(names = "--proxy-background", defaultValue = "100",
      description = "kube-proxy-latency: other Services (x 5 endpoints) kube-proxy programs too (default: ${DEFAULT-VALUE}).")
  int proxyBackground;

  @Option(names = "--writes", defaultValue = "2000",
      description = "api-writes: pods created per concurrency level, on each side (default: ${DEFAULT-VALUE}).")
  int writes;

  @Option(names = "--watchers", defaultValue = "500",
      description = "watch-fanout: watchers through the API server (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(names = "--raw-watchers", defaultValue = "500",
      description = "watch-fanout: jetcd watchers straight on etcd for the baseline (default: ${DEFAULT-VALUE}).")
  int rawWatchers;

  @Option(names = "--fanout-pods", defaultValue = "5000",
      description = "watch-fanout: pods created while the watchers watch (default: ${DEFAULT-VALUE}).")
  int fanoutPods;

  @Option(names = "--nodes", defaultValue = "1000",
      description = "scheduling, memory: hollow nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--scale-pods", defaultValue = "10000",
      description = "scheduling, memory: pods created onto them (default: ${DEFAULT-VALUE}).")
  int scalePods;

  @Option(names = "--clients", defaultValue = "64",
      description = "scheduling, memory: concurrent clients creating the pods (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--hollow-pod-watch", defaultValue = "shared",
      description = "scheduling, memory: hollow-nodes' --pod-watch, shared or per-node (default: ${DEFAULT-VALUE}).")
  String hollowPodWatch;

  @Option(names = "--results", defaultValue = "bench/results", description = "Where JSON results go (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--root", defaultValue = "${sys:minik8s.root:-.}",
      description = "The repository root, where the component jars are (default: ${DEFAULT-VALUE}).")
  Path root;

  /** Every benchmark, in the order {@code bench/run.sh} runs them. Add new ones here. */
  private List<Benchmark> all() {
    return List.of(
        new PodStartupBenchmark(pods, burst),
        new KubeProxySyncBenchmark(proxyServices),
        new KubeProxyLatencyBenchmark(proxyChanges, proxyBackground),
        new ApiWritesBenchmark(writes),
        new WatchFanoutBenchmark(watchers, rawWatchers, fanoutPods),
        new SchedulingBenchmark(nodes, scalePods, clients, hollowPodWatch),
        new MemoryBenchmark(nodes, scalePods, clients, hollowPodWatch));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Benchmark> known = new LinkedHashMap<>();
    for (Benchmark b : all()) {
      known.put(b.name(), b);
    }
    List<String> run = names == null || names.isEmpty() ? List.copyOf(known.keySet()) : names;
    for (String name : run) {
      if (!known.containsKey(name)) {
        System.err.println("unknown benchmark " + name + "; known: " + known.keySet());
        return 2;
      }
    }
    Map<String, Object> machine = Machine.describe();
    System.out.println("machine: " + machine);
    BenchOptions options = new BenchOptions(smoke, root);
    for (String name : run) {
      Benchmark benchmark = known.get(name);
      Map<String, Object> result = benchmark.run(options);
      benchmark.print(result);
      write(name, machine, result);
    }
    return 0;
  }

  private void write(String name, Map<String, Object> machine, Map<String, Object> result) throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", name);
    doc.put("time", Instant.now().toString());
    doc.put("smoke", smoke);
    doc.put("machine", machine);
    doc.put("result", result);
    Files.createDirectories(results);
    Path file = results.resolve(name + (smoke ? "-smoke" : "") + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    System.out.println("wrote " + file);
  }

  public static void main(String[] args) {
    io.minik8s.client.process.Logging.configure("info", false);
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  /** The names shown by --help, taken from {@link #all()}. */
  static final class Names extends java.util.ArrayList<String> {
    Names() {
      super(new BenchMain().all().stream().map(Benchmark::name).toList());
    }
  }
}
