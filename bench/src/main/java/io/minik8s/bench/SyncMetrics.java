package io.minik8s.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-proxy's own view of its syncs, read from the Prometheus text of its {@code /metrics}: the histogram
 * {@code kubeproxy_sync_proxy_rules_duration_seconds} (Micrometer's percentile histogram: cumulative
 * {@code _bucket{le=...}} counts, {@code _count}, {@code _sum}). Two readings give the syncs in between.
 *
 * @param count syncs so far
 * @param sumSeconds their total duration
 * @param buckets cumulative count per upper bound (seconds)
 */
record SyncMetrics(double count, double sumSeconds, TreeMap<Double, Double> buckets) {
  static final String HISTOGRAM = "kubeproxy_sync_proxy_rules_duration_seconds";

  static SyncMetrics read(URI metrics) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return parse(text);
  }

  static SyncMetrics parse(String text) {
    double count = 0;
    double sum = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (!line.startsWith(HISTOGRAM)) {
        continue;
      }
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      String series = line.substring(0, line.lastIndexOf(' '));
      if (series.equals(HISTOGRAM + "_count")) {
        count = value;
      } else if (series.equals(HISTOGRAM + "_sum")) {
        sum = value;
      } else if (series.startsWith(HISTOGRAM + "_bucket{")) {
        int le = series.indexOf("le=\"") + 4;
        String bound = series.substring(le, series.indexOf('"', le));
        buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value);
      }
    }
    return new SyncMetrics(count, sum, buckets);
  }

  /** The syncs between {@code earlier} and this reading. */
  SyncMetrics since(SyncMetrics earlier) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      delta.put(e.getKey(), e.getValue() - earlier.buckets.getOrDefault(e.getKey(), 0.0));
    }
    return new SyncMetrics(count - earlier.count, sumSeconds - earlier.sumSeconds, delta);
  }

  double meanSeconds() {
    return count == 0 ? Double.NaN : sumSeconds / count;
  }

  /** The upper bound of the bucket holding the {@code p}-th percentile: the histogram's resolution, no finer. */
  double percentileUpperBound(double p) {
    double wanted = Math.ceil(p / 100.0 * count);
    for (Map.Entry<Double, Double> e : buckets.entrySet()) {
      if (e.getValue() >= wanted && wanted > 0) {
        return e.getKey();
      }
    }
    return Double.NaN;
  }
}
