package io.minik8s.kubelet.cri;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Times the container runtime alone, with nothing of minik8s on top: for N pods one after another,
 * {@code RunPodSandbox} (with CNI), then {@code CreateContainer} + {@code StartContainer} of a
 * busybox httpd. That is the floor under the kubelet's pod start-up time on this machine.
 *
 * <pre>
 *   java -cp kubelet.jar io.minik8s.kubelet.cri.RawCriTimer \
 *       [--endpoint unix:///run/containerd/containerd.sock] [--pods 20] [--image localhost/busybox:latest]
 * </pre>
 *
 * <p>The image must be present (deploy/images/load.sh). Every pod it made is stopped and removed at
 * the end, also when a call fails.
 */
public final class RawCriTimer {
  /** Label on every sandbox this timer makes, so it removes exactly its own. */
  public static final String LABEL = "minik8s.io/raw-cri-timer";

  /** The measured durations, one per pod, in the order the pods were made. */
  public record Timings(List<Duration> runSandbox, List<Duration> createAndStart) {

    public Timings {
      runSandbox = List.copyOf(runSandbox);
      createAndStart = List.copyOf(createAndStart);
    }

    public List<Duration> total() {
      List<Duration> total = new ArrayList<>();
      for (int i = 0; i < runSandbox.size(); i++) {
        total.add(runSandbox.get(i).plus(createAndStart.get(i)));
      }
      return total;
    }

    public String report() {
      return String.format("%-24s %s%n%-24s %s%n%-24s %s%n",
          "RunPodSandbox", summary(runSandbox), "CreateContainer+Start", summary(createAndStart),
          "pod total", summary(total()));
    }

    private static String summary(List<Duration> values) {
      return String.format("p50 %.3f s  p99 %.3f s  (min %.3f, max %.3f, n=%d)",
          seconds(percentile(values, 50)), seconds(percentile(values, 99)), seconds(percentile(values, 0)),
          seconds(percentile(values, 100)), values.size());
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }

  private RawCriTimer() {
  }

  /** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
  public static Duration percentile(List<Duration> values, int p) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Duration> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Makes {@code pods} pods one after another, timing each step; removes them all afterwards. */
  public static Timings run(ContainerRuntime runtime, int pods, String image) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> labels = Map.of(LABEL, run);
    List<Duration> runSandbox = new ArrayList<>();
    List<Duration> createAndStart = new ArrayList<>();
    try {
      for (int i = 0; i < pods; i++) {
        SandboxSpec sandbox = SandboxSpec.builder("raw-" + run + "-" + i, "raw-cri-timer", UUID.randomUUID().toString())
            .hostname("raw-" + i).labels(labels).build();
        ContainerSpec container = ContainerSpec.builder("httpd", image)
            .command("httpd", "-f", "-p", "8080", "-h", "/www").labels(labels).build();

        long t0 = System.nanoTime();
        String sandboxId = runtime.runSandbox(sandbox);
        long t1 = System.nanoTime();
        String containerId = runtime.createContainer(sandboxId, container, sandbox);
        runtime.startContainer(containerId);
        long t2 = System.nanoTime();
        runSandbox.add(Duration.ofNanos(t1 - t0));
        createAndStart.add(Duration.ofNanos(t2 - t1));
      }
    } finally {
      for (SandboxSummary s : runtime.listSandboxes(labels)) {
        runtime.stopSandbox(s.id());
        runtime.removeSandbox(s.id());
      }
    }
    return new Timings(runSandbox, createAndStart);
  }

  public static void main(String[] args) {
    String endpoint = "unix:///run/containerd/containerd.sock";
    int pods = 20;
    String image = "localhost/busybox:latest";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--endpoint" -> endpoint = args[++i];
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--image" -> image = args[++i];
        default -> {
          System.err.println("usage: RawCriTimer [--endpoint unix:///path.sock] [--pods N] [--image IMAGE]");
          System.exit(2);
        }
      }
    }
    try (CriRuntime runtime = CriRuntime.connect(endpoint, Duration.ofSeconds(60))) {
      RuntimeVersion v = runtime.version();
      if (!runtime.imagePresent(image)) {
        System.err.println("image " + image + " is not present; load it first (deploy/images/load.sh)");
        System.exit(1);
      }
      Timings timings = run(runtime, pods, image);
      System.out.printf("RawCriTimer: %d pods one after another on %s %s (CRI %s)%n", pods, v.runtimeName(),
          v.runtimeVersion(), v.runtimeApiVersion());
      System.out.print(timings.report());
    }
  }
}
