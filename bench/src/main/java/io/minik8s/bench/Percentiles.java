package io.minik8s.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured durations, in seconds. */
record Percentiles(int count, double p50, double p99, double max) {
  static Percentiles of(List<Duration> values) {
    if (values.isEmpty()) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Duration> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new Percentiles(sorted.size(), seconds(rank(sorted, 50)), seconds(rank(sorted, 99)),
        seconds(sorted.get(sorted.size() - 1)));
  }

  /** Of the first {@code n} values of {@code nanos} (sorted in place): for millions of samples, no boxing. */
  static Percentiles ofNanos(long[] nanos, int n) {
    if (n == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
    }
    java.util.Arrays.sort(nanos, 0, n);
    return new Percentiles(n, nanos[index(50, n)] / 1e9, nanos[index(99, n)] / 1e9, nanos[n - 1] / 1e9);
  }

  private static int index(int p, int n) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1));
  }

  private static Duration rank(List<Duration> sorted, int p) {
    return sorted.get(index(p, sorted.size()));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
