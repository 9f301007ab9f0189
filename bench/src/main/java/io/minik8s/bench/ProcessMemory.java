package io.minik8s.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The memory of one of our JVM processes: resident set size ({@code VmRSS} of {@code /proc/PID/status}),
 * and the heap in use right after a full collection (the live set), read from its {@code /metrics}
 * ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools) after {@code jcmd PID GC.run}.
 *
 * @param rssBytes resident memory as the kernel counts it (heap, metaspace, code, thread stacks, buffers)
 * @param heapAfterGcBytes live heap; -1 when the collection or the scrape failed
 */
record ProcessMemory(long rssBytes, long heapAfterGcBytes) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Samples {@code pid}, whose health server (with {@code /metrics}) listens on {@code healthPort}. */
  static ProcessMemory sample(long pid, int healthPort) {
    long heap = -1;
    if (fullGc(pid)) {
      heap = heapUsed(healthPort);
    }
    return new ProcessMemory(rss(pid), heap);
  }

  /** VmRSS of {@code pid} in bytes, -1 if unreadable. */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or not Linux
    }
    return -1;
  }

  private static boolean fullGc(long pid) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long heapUsed(int healthPort) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + healthPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? sumHeap(r.body()) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Sums {@code jvm_memory_used_bytes{area="heap",...}} over the pools of a Prometheus text page. */
  static long sumHeap(String metrics) {
    double sum = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? (long) sum : -1;
  }

  double rssMiB() {
    return rssBytes / 1048576.0;
  }

  double heapAfterGcMiB() {
    return heapAfterGcBytes < 0 ? Double.NaN : heapAfterGcBytes / 1048576.0;
  }
}
