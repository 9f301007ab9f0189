package io.minik8s.bench;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.cri.CriRuntime;
import io.minik8s.kubelet.cri.RawCriTimer;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pod start-up latency: from the create call to the pod seen Running through a watch, with the whole
 * path real (API server on etcd, scheduler, kubelet on a private containerd), for pods created one after
 * another and for a burst created at once; beside the raw floor measured in the same run on the same
 * containerd by calling the CRI directly (RunPodSandbox, then CreateContainer + StartContainer).
 */
final class PodStartupBenchmark implements Benchmark {
  static final String NAMESPACE = "bench";
  static final String IMAGE = "localhost/busybox:latest";

  private final int sequentialPods;
  private final int burstPods;

  PodStartupBenchmark(int sequentialPods, int burstPods) {
    this.sequentialPods = sequentialPods;
    this.burstPods = burstPods;
  }

  @Override
  public String name() {
    return "pod-startup";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    int sequential = options.smoke() ? 3 : sequentialPods;
    int burst = options.smoke() ? 3 : burstPods;
    Map<String, Object> result = new LinkedHashMap<>();
    try (ContainerdProcess containerd = ContainerdProcess.start()) {
      RawCriTimer.Timings raw;
      try (CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(60))) {
        RawCriTimer.run(cri, 2, IMAGE); // warm-up: first sandbox pays for the image's snapshot
        raw = RawCriTimer.run(cri, sequential, IMAGE);
      }
      try (Cluster cluster = Cluster.startControlPlane()) {
        startNode(cluster, containerd);
        ApiClient client = cluster.client();
        client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
        RunningWatch running = new RunningWatch(client);
        measure(client, running, "warmup-", 2, 1); // JIT and caches of every component
        List<Duration> seq = measure(client, running, "seq-", sequential, 1);
        List<Duration> all = measure(client, running, "burst-", burst, burst);
        running.close();
        result.put("rawCriFloor", Percentiles.of(raw.total()));
        result.put("rawRunPodSandbox", Percentiles.of(raw.runSandbox()));
        result.put("sequential", Percentiles.of(seq));
        result.put("burst", Percentiles.of(all));
        result.put("sequentialPods", sequential);
        result.put("burstPods", burst);
      }
    }
    return result;
  }

  @Override
  public void print(Map<String, Object> r) {
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

  private static void startNode(Cluster cluster, ContainerdProcess containerd) throws Exception {
    List<Integer> ports = FreePorts.take(3);
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(ports.get(0)), "--leader-elect=false");
    ProcessRunner kubelet = cluster.startComponent("kubelet", "kubelet", "--apiserver", cluster.server(),
        "--node-name", "bench-node", "--container-runtime-endpoint", containerd.endpoint(),
        "--pod-cidr", containerd.subnet(), "--health-port", Integer.toString(ports.get(1)),
        "--log-port", Integer.toString(ports.get(2)),
        "--pod-log-dir", Files.createTempDirectory("bench-pod-logs").toString());
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(0) + "/readyz"), Duration.ofSeconds(60));
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(1) + "/healthz"), Duration.ofSeconds(60));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!nodeReady(cluster.client())) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("node bench-node did not become Ready");
      }
      Thread.sleep(100);
    }
  }

  private static boolean nodeReady(ApiClient client) {
    return client.find(Kinds.NODE, "", "bench-node").map(n -> n.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).orElse(false);
  }

  /** Creates {@code count} pods, {@code parallel} at a time, and returns each one's create → Running time. */
  private static List<Duration> measure(ApiClient client, RunningWatch running, String prefix, int count,
      int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<java.util.concurrent.Future<Duration>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + i;
      java.util.concurrent.Callable<Duration> one = () -> {
        long start = System.nanoTime();
        client.create(pod(name));
        long runningAt = running.await(name, Duration.ofSeconds(120));
        return Duration.ofNanos(runningAt - start);
      };
      if (parallel == 1) {
        futures.add(java.util.concurrent.CompletableFuture.completedFuture(one.call()));
      } else {
        futures.add(pool.submit(one));
      }
    }
    List<Duration> latencies = new ArrayList<>();
    for (java.util.concurrent.Future<Duration> f : futures) {
      latencies.add(f.get());
    }
    pool.shutdown();
    for (int i = 0; i < count; i++) {
      try {
        client.delete(Kinds.POD, NAMESPACE, prefix + i, ApiClient.DeleteOptions.gracePeriod(0));
      } catch (ApiException e) {
        // a pod already gone is fine
      }
    }
    return latencies;
  }

  private static Pod pod(String name) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(NAMESPACE))
        .setSpec(PodSpec.newBuilder().setTerminationGracePeriodSeconds(0).addContainers(Container.newBuilder()
            .setName("c").setImage(IMAGE).setImagePullPolicy("IfNotPresent")
            .addCommand("sleep").addCommand("3600")))
        .build();
  }

  /** One watch on the namespace; remembers when each pod was first seen Running (nanoTime). */
  private static final class RunningWatch implements AutoCloseable {
    private final Map<String, Long> runningAt = new ConcurrentHashMap<>();
    private final ApiClient.Watch watch;

    RunningWatch(ApiClient client) {
      String rv = client.list(Kinds.POD, ListOptions.inNamespace(NAMESPACE)).resourceVersion();
      watch = client.watch(Kinds.POD, new WatchOptions(NAMESPACE, "", "", rv, false),
          new ApiClient.WatchListener<>() {
            @Override
            public void onEvent(WatchEventType type, Pod pod) {
              if (pod.getStatus().getPhase().equals("Running")) {
                runningAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
                synchronized (RunningWatch.this) {
                  RunningWatch.this.notifyAll();
                }
              }
            }

            @Override
            public void onClose(ApiException error) {
              if (error != null) {
                System.err.println("bench watch ended: " + error.getMessage());
              }
            }
          });
    }

    synchronized long await(String name, Duration timeout) throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!runningAt.containsKey(name)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("pod " + name + " was not Running within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return runningAt.get(name);
    }

    @Override
    public void close() {
      watch.cancel();
    }
  }
}
