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
  static final List<String> ALL = List.of("pod-startup");

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "Benchmarks to run: ${COMPLETION-CANDIDATES}",
      completionCandidates = Names.class)
  List<String> names;

  @Option(names = "--smoke", description = "A few iterations only: checks that each benchmark still runs.")
  boolean smoke;

  @Option(names = "--pods", defaultValue = "20", description = "Pods created one after another (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--burst", defaultValue = "30", description = "Pods created at once (default: ${DEFAULT-VALUE}).")
  int burst;

  @Option(names = "--results", defaultValue = "bench/results", description = "Where JSON results go (default: ${DEFAULT-VALUE}).")
  Path results;

  @Override
  public Integer call() throws Exception {
    List<String> run = names == null || names.isEmpty() ? ALL : names;
    for (String name : run) {
      if (!ALL.contains(name)) {
        System.err.println("unknown benchmark " + name + "; known: " + ALL);
        return 2;
      }
    }
    Map<String, Object> machine = Machine.describe();
    System.out.println("machine: " + machine);
    for (String name : run) {
      Map<String, Object> result;
      if (name.equals("pod-startup")) {
        result = new PodStartupBenchmark(smoke ? 3 : pods, smoke ? 3 : burst).run();
        printPodStartup(result);
      } else {
        throw new IllegalStateException(name);
      }
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
    return 0;
  }

  private static void printPodStartup(Map<String, Object> r) {
    Percentiles floor = (Percentiles) r.get("rawCriFloor");
    System.out.println();
    System.out.println("pod start-up: create -> Running seen through a watch (seconds)");
    System.out.printf("%-34s %6s %8s %8s %8s%n", "case", "pods", "p50", "p99", "max");
    row("raw CRI floor (sandbox+create+start)", floor);
    row("minik8s, one after another", (Percentiles) r.get("sequential"));
    row("minik8s, created at once", (Percentiles) r.get("burst"));
    Percentiles seq = (Percentiles) r.get("sequential");
    System.out.printf("overhead over the raw floor, sequential: p50 %+.3f s, p99 %+.3f s (target p99 < 0.3 s)%n",
        seq.p50() - floor.p50(), seq.p99() - floor.p99());
  }

  private static void row(String name, Percentiles p) {
    System.out.printf("%-34s %6d %8.3f %8.3f %8.3f%n", name, p.count(), p.p50(), p.p99(), p.max());
  }

  public static void main(String[] args) {
    io.minik8s.client.process.Logging.configure("info", false);
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  static final class Names extends java.util.ArrayList<String> {
    Names() {
      super(ALL);
    }
  }
}
