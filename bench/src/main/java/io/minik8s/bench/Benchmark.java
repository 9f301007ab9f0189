package io.minik8s.bench;

import java.util.Map;

/**
 * One benchmark of {@code bench/run.sh}: measures minik8s and, in the same run, the raw runtime or etcd
 * underneath it. {@link #run} returns the numbers as a JSON-ready map (written to
 * {@code bench/results/NAME.json}); {@link #print} renders the same map as a table for people.
 */
interface Benchmark {
  /** The name on the command line and in the results file, e.g. {@code pod-startup}. */
  String name();

  /** Runs the benchmark; in smoke mode only a few iterations, to prove it still works. */
  Map<String, Object> run(BenchOptions options) throws Exception;

  /** Prints {@code result} (what {@link #run} returned) as a table, with the raw baseline beside it. */
  void print(Map<String, Object> result);
}
