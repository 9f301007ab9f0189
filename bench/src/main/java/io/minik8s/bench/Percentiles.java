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

  private static Duration rank(List<Duration> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
