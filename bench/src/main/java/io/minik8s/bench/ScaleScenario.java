package io.minik8s.bench;

import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The cluster at scale that the {@code scheduling} and {@code memory} benchmarks measure, run once per
 * JVM and size (both read the same run, so {@code bench/run.sh} pays for it once; either alone runs it).
 *
 * <p>What runs, each a separate JVM with the heap given here (the launchers' serial GC):
 * etcd; the API server ({@value #APISERVER_HEAP}); the scheduler ({@value #SCHEDULER_HEAP}); the
 * controller-manager ({@value #CONTROLLER_MANAGER_HEAP}); {@code hollow-nodes} with N nodes
 * ({@value #HOLLOW_NODES_HEAP}).
 *
 * <p>Steps: the control plane starts; the raw etcd floor is measured on its etcd (bind-sized writes at the
 * scheduler's bind concurrency, before anything else loads it); memory is sampled ("idle"); the hollow
 * nodes start and every node becomes Ready; memory again ("nodes"); P pods are created as fast as
 * {@code clients} concurrent clients get them accepted, while one watch notes when each is first seen
 * bound and Running; once all run, memory again ("loaded"), and the scheduler's own metrics are read;
 * then the "backlog" phase (see {@link #backlog}): the scheduler stops, P more pods are created, and a new
 * scheduler binds them. The API server's CPU and etcd requests per pod are read for each phase.
 * Times are the bench's {@code System.nanoTime()}: a pod's latency runs from the start of its create
 * call to the watch event that shows it bound.
 */
final class ScaleScenario {
  static final String APISERVER_HEAP = "768m";
  static final String SCHEDULER_HEAP = "256m";
  static final String CONTROLLER_MANAGER_HEAP = "256m";
  static final String HOLLOW_NODES_HEAP = "512m";
  /**
   * How many binds the scheduler has in flight at once (its binder threads): the raw floor's concurrency.
   * A compile-time constant, inlined here: the scheduler's classes are not on the bench's class path.
   */
  static final int BIND_CONCURRENCY = io.minik8s.scheduler.SchedulerProcess.BIND_THREADS;
  static final String NAMESPACE = "scale";
  static final String BACKLOG_NAMESPACE = "scale-backlog";

  /**
   * The size of a run.
   *
   * @param podWatch hollow-nodes' {@code --pod-watch}: {@code shared} (one watch for all) or {@code per-node}
   */
  record Params(int nodes, int pods, int clients, String podWatch) {}

  /** What a run measured, as the two benchmarks report it. */
  record Result(Map<String, Object> scheduling, Map<String, Object> memory) {}

  private static final Map<Params, Result> RUNS = new HashMap<>();

  private ScaleScenario() {}

  /** The result of a run of this size: measured now, or earlier in this JVM. */
  static synchronized Result run(Params params) throws Exception {
    Result r = RUNS.get(params);
    if (r == null) {
      r = measure(params);
      RUNS.put(params, r);
    }
    return r;
  }

  private static Result measure(Params p) throws Exception {
    Map<String, Object> scheduling = new LinkedHashMap<>();
    Map<String, Object> memory = new LinkedHashMap<>();
    scheduling.put("nodes", p.nodes());
    scheduling.put("pods", p.pods());
    scheduling.put("clients", p.clients());
    scheduling.put("podWatch", p.podWatch());
    memory.put("nodes", p.nodes());
    memory.put("pods", p.pods());
    memory.put("podWatch", p.podWatch());
    memory.put("heaps", Map.of("apiserver", APISERVER_HEAP, "scheduler", SCHEDULER_HEAP,
        "controller-manager", CONTROLLER_MANAGER_HEAP, "hollow-nodes", HOLLOW_NODES_HEAP));
    List<String> apiOptions = new ArrayList<>(List.of("-Xmx" + APISERVER_HEAP, "-XX:+UseSerialGC"));
    apiOptions.addAll(jfrOptions("apiserver"));
    try (Cluster cluster = Cluster.startControlPlane(apiOptions)) {
      List<Integer> ports = FreePorts.take(3);
      int schedulerHealth = ports.get(0);
      int cmHealth = ports.get(1);
      int hollowHealth = ports.get(2);
      ProcessRunner scheduler = cluster.startProcess(component("scheduler", "scheduler", SCHEDULER_HEAP,
          jfrOptions("scheduler"),
          "--apiserver", cluster.server(), "--health-port", Integer.toString(schedulerHealth),
          "--health-bind-address", "127.0.0.1", "--leader-elect=false"));
      ProcessRunner cm = cluster.startProcess(component("controller-manager", "controller-manager",
          CONTROLLER_MANAGER_HEAP, List.of(), "--apiserver", cluster.server(), "--health-port",
          Integer.toString(cmHealth), "--health-bind-address", "127.0.0.1", "--leader-elect=false"));
      scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + schedulerHealth + "/readyz"), Duration.ofSeconds(90));
      cm.awaitHttpOk(URI.create("http://127.0.0.1:" + cmHealth + "/readyz"), Duration.ofSeconds(90));

      int valueBytes = boundPod(0, "hollow-node-0").toByteArray().length;
      EtcdDisk beforeRaw = EtcdDisk.read(cluster.etcd().endpoint());
      RawEtcdWrites.Rates raw = RawEtcdWrites.measure(cluster.etcd().endpoint(), p.pods(), BIND_CONCURRENCY,
          valueBytes);
      scheduling.put("rawEtcd", raw);
      scheduling.put("etcdDiskDuringRaw", EtcdDisk.read(cluster.etcd().endpoint()).since(beforeRaw));

      Map<String, ProcessMemory> idle = new LinkedHashMap<>();
      idle.put("apiserver", ProcessMemory.sample(cluster.apiServer().pid(), cluster.apiHealthPort()));
      idle.put("scheduler", ProcessMemory.sample(scheduler.pid(), schedulerHealth));
      idle.put("controller-manager", ProcessMemory.sample(cm.pid(), cmHealth));
      memory.put("idle", idle);

      ApiClient client = cluster.client();
      long hollowStart = System.nanoTime();
      ProcessRunner hollow = cluster.startProcess(ProcessRunner.javaMain(Cluster.jar("kubelet", "kubelet"),
              "io.minik8s.kubelet.hollow.HollowNodesMain", "--count", Integer.toString(p.nodes()), "--apiserver",
              cluster.server(), "--health-port", Integer.toString(hollowHealth), "--health-bind-address", "127.0.0.1",
              "--pod-watch", p.podWatch())
          .name("hollow-nodes").jvmOptions(jvm(HOLLOW_NODES_HEAP, jfrOptions("hollow-nodes"))));
      awaitReadyNodes(client, p.nodes(), Duration.ofSeconds(Math.max(120, p.nodes() / 5)), hollow);
      scheduling.put("nodesReadySeconds", seconds(System.nanoTime() - hollowStart));
      hollow.awaitHttpOk(URI.create("http://127.0.0.1:" + hollowHealth + "/readyz"), Duration.ofSeconds(60));

      Map<String, ProcessMemory> withNodes = new LinkedHashMap<>();
      withNodes.put("apiserver", ProcessMemory.sample(cluster.apiServer().pid(), cluster.apiHealthPort()));
      withNodes.put("scheduler", ProcessMemory.sample(scheduler.pid(), schedulerHealth));
      withNodes.put("controller-manager", ProcessMemory.sample(cm.pid(), cmHealth));
      withNodes.put("hollow-nodes", ProcessMemory.sample(hollow.pid(), hollowHealth));
      memory.put("withNodes", withNodes);

      client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
      PodTimes times = new PodTimes(p.pods(), NAMESPACE);
      EtcdDisk beforePods = EtcdDisk.read(cluster.etcd().endpoint());
      ApiServerWork beforeWork = ApiServerWork.read(cluster);
      try (ApiClient.Watch watch = times.watch(client)) {
        createPods(cluster, p, times, NAMESPACE);
        Duration limit = Duration.ofSeconds(Math.max(120, p.pods() / 20));
        times.awaitAll(times.bound, "bound", limit);
        times.awaitAll(times.running, "Running", limit);
      }
      scheduling.putAll(times.report());
      scheduling.put("apiserverPerPod", ApiServerWork.read(cluster).since(beforeWork, p.pods()));
      scheduling.put("etcdDiskDuringPods", EtcdDisk.read(cluster.etcd().endpoint()).since(beforePods));
      scheduling.put("scheduler", schedulerMetrics(schedulerHealth));

      Map<String, ProcessMemory> loaded = new LinkedHashMap<>();
      loaded.put("apiserver", ProcessMemory.sample(cluster.apiServer().pid(), cluster.apiHealthPort()));
      loaded.put("scheduler", ProcessMemory.sample(scheduler.pid(), schedulerHealth));
      loaded.put("controller-manager", ProcessMemory.sample(cm.pid(), cmHealth));
      loaded.put("hollow-nodes", ProcessMemory.sample(hollow.pid(), hollowHealth));
      memory.put("loaded", loaded);

      scheduling.put("backlog", backlog(cluster, p, scheduler, schedulerHealth));
    }
    return new Result(scheduling, memory);
  }

  /**
   * The scheduler's own rate, apart from the API server's create rate: with the scheduler stopped, P more
   * pods are created (nothing else competes with the creates but the hollow nodes' heartbeats); then a new
   * scheduler starts and binds the whole backlog, competing only with the hollow nodes' status writes.
   */
  private static Map<String, Object> backlog(Cluster cluster, Params p, ProcessRunner scheduler, int schedulerHealth)
      throws Exception {
    scheduler.stop(Duration.ofSeconds(20));
    ApiClient client = cluster.client();
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(BACKLOG_NAMESPACE)).build());
    PodTimes times = new PodTimes(p.pods(), BACKLOG_NAMESPACE);
    Map<String, Object> m = new LinkedHashMap<>();
    try (ApiClient.Watch watch = times.watch(client)) {
      ApiServerWork beforeCreates = ApiServerWork.read(cluster);
      createPods(cluster, p, times, BACKLOG_NAMESPACE);
      long created = System.nanoTime();
      m.put("createdPerSecond", p.pods() / seconds(created - PodTimes.min(times.created)));
      m.put("apiserverPerCreate", ApiServerWork.read(cluster).since(beforeCreates, p.pods()));

      ApiServerWork beforeBinds = ApiServerWork.read(cluster);
      long start = System.nanoTime();
      ProcessRunner second = cluster.startProcess(component("scheduler", "scheduler", SCHEDULER_HEAP,
          List.of(), "--apiserver", cluster.server(), "--health-port", Integer.toString(schedulerHealth),
          "--health-bind-address", "127.0.0.1", "--leader-elect=false").name("scheduler-backlog"));
      Duration limit = Duration.ofSeconds(Math.max(120, p.pods() / 20));
      times.awaitAll(times.bound, "bound (backlog)", limit);
      long[] bound = PodTimes.sorted(times.bound);
      long first = bound[0];
      long last = bound[bound.length - 1];
      m.put("schedulerStartToFirstBindSeconds", seconds(first - start));
      m.put("allBoundSeconds", seconds(last - start));
      m.put("boundPerSecondFromStart", p.pods() / seconds(last - start));
      m.put("boundPerSecondFromFirstBind", (p.pods() - 1) / seconds(Math.max(1, last - first)));
      m.put("apiserverPerBind", ApiServerWork.read(cluster).since(beforeBinds, p.pods()));
      m.put("scheduler", schedulerMetrics(schedulerHealth));
      second.stop(Duration.ofSeconds(20));
    }
    return m;
  }

  /**
   * What the API server has done so far: its CPU seconds (from /proc) and the etcd requests it made, by
   * operation (from its /metrics). Differences of two readings, per pod, show what one pod costs it.
   */
  record ApiServerWork(double cpuSeconds, Map<String, Double> etcdRequests) {
    static ApiServerWork read(Cluster cluster) throws Exception {
      double cpu = ProcessCpu.seconds(cluster.apiServer().pid());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + cluster.apiHealthPort() + "/metrics")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> requests = new java.util.TreeMap<>();
      String prefix = "etcd_request_duration_seconds_count{";
      for (String line : r.body().split("\n")) {
        if (line.startsWith(prefix)) {
          int at = line.indexOf("operation=\"");
          int space = line.lastIndexOf(' ');
          if (at >= 0) {
            String op = line.substring(at + 11, line.indexOf('"', at + 11));
            requests.merge(op, Double.parseDouble(line.substring(space + 1)), Double::sum);
          }
        }
      }
      return new ApiServerWork(cpu, requests);
    }

    /** CPU milliseconds and etcd requests (by operation) per pod since {@code before}. */
    Map<String, Object> since(ApiServerWork before, int pods) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cpuMs", (cpuSeconds - before.cpuSeconds) * 1000 / pods);
      Map<String, Double> perPod = new java.util.TreeMap<>();
      etcdRequests.forEach((op, n) -> {
        double d = (n - before.etcdRequests.getOrDefault(op, 0.0)) / pods;
        if (d > 0) {
          perPod.put(op, Math.round(d * 100) / 100.0);
        }
      });
      m.put("etcdRequests", perPod);
      return m;
    }
  }

  /** A component's jar started with its heap (and JFR, when asked for), as its launcher would. */
  private static ProcessRunner.Builder component(String module, String jar, String heap, List<String> extra,
      String... args) {
    return ProcessRunner.javaJar(Cluster.jar(module, jar), args).name(module).jvmOptions(jvm(heap, extra));
  }

  private static String[] jvm(String heap, List<String> extra) {
    List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseSerialGC"));
    options.addAll(extra);
    return options.toArray(String[]::new);
  }

  /**
   * {@code -Dminik8s.bench.jfr=DIR}: the API server, the scheduler and the hollow nodes record JFR profiles
   * to {@code DIR/<process>.jfr}, written when they exit.
   */
  private static List<String> jfrOptions(String process) {
    String dir = System.getProperty("minik8s.bench.jfr", "");
    return dir.isEmpty() ? List.of()
        : List.of("-XX:StartFlightRecording=filename=" + dir + "/" + process + ".jfr,settings=profile");
  }

  /** Waits, through a watch, until {@code count} nodes report Ready=True. */
  private static void awaitReadyNodes(ApiClient client, int count, Duration timeout, ProcessRunner hollow)
      throws Exception {
    Set<String> ready = ConcurrentHashMap.newKeySet();
    Object signal = new Object();
    ApiClient.Watch watch = client.watch(Kinds.NODE, new WatchOptions("", "", "", "0", false),
        new ApiClient.WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Node node) {
            String name = node.getMetadata().getName();
            boolean isReady = type != WatchEventType.DELETED && node.getStatus().getConditionsList().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            if (isReady ? ready.add(name) : ready.remove(name)) {
              synchronized (signal) {
                signal.notifyAll();
              }
            }
          }

          @Override
          public void onClose(ApiException error) {
          }
        });
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (signal) {
        while (ready.size() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !hollow.isAlive()) {
            throw new TimeoutException(ready.size() + " of " + count + " hollow nodes Ready after " + timeout
                + (hollow.isAlive() ? "" : "; hollow-nodes exited: " + hollow.logTail(20)));
          }
          signal.wait(Math.max(1, left / 1_000_000));
        }
      }
    } finally {
      watch.cancel();
    }
  }

  /** Creates the pods from {@code clients} threads over a few connections, as fast as they are accepted. */
  private static void createPods(Cluster cluster, Params p, PodTimes times, String namespace) throws Exception {
    int channels = Math.min(4, p.clients());
    List<ApiClient> clients = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      clients.add(ApiClient.connect(cluster.server()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(p.clients());
    AtomicInteger next = new AtomicInteger();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < p.clients(); t++) {
        ApiClient client = clients.get(t % channels);
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < p.pods(); i = next.getAndIncrement()) {
            times.created.set(i, System.nanoTime());
            client.create(pod(i, namespace));
            times.accepted.set(i, System.nanoTime());
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      clients.forEach(ApiClient::close);
    }
  }

  /** Kubernetes' scheduler_perf default pod: one container requesting 100m CPU and 500Mi. */
  static Pod pod(int i) {
    return pod(i, NAMESPACE);
  }

  static Pod pod(int i, String namespace) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("pod-" + i).setNamespace(namespace))
        .setSpec(PodSpec.newBuilder().setTerminationGracePeriodSeconds(0).addContainers(Container.newBuilder()
            .setName("pause").setImage("registry.k8s.io/pause:3.9").setImagePullPolicy("IfNotPresent")
            .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "100m").putRequests("memory", "500Mi"))))
        .build();
  }

  private static Pod boundPod(int i, String node) {
    Pod pod = pod(i);
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().setNodeName(node)).build();
  }

  /** The scheduler's own view: mean algorithm and e2e (first seen → bind returned) times, attempts. */
  private static Map<String, Object> schedulerMetrics(int healthPort) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + healthPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Double> values = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (!line.startsWith("#") && line.startsWith("scheduler_")) {
        int space = line.lastIndexOf(' ');
        values.merge(line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Double::sum);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithmMeanMs", mean(values, "scheduler_scheduling_algorithm_duration_seconds"));
    m.put("e2eMeanMs", mean(values, "scheduler_e2e_scheduling_duration_seconds"));
    m.put("scheduled", values.getOrDefault("scheduler_schedule_attempts_total{result=\"scheduled\"}", 0.0));
    m.put("unschedulable", values.getOrDefault("scheduler_schedule_attempts_total{result=\"unschedulable\"}", 0.0));
    m.put("errors", values.getOrDefault("scheduler_schedule_attempts_total{result=\"error\"}", 0.0));
    return m;
  }

  private static double mean(Map<String, Double> values, String histogram) {
    double count = values.getOrDefault(histogram + "_count", 0.0);
    return count == 0 ? Double.NaN : values.getOrDefault(histogram + "_sum", 0.0) / count * 1000;
  }

  /**
   * etcd's own account of its disk, from its {@code /metrics}: WAL fsyncs and backend commits (count and
   * total seconds). The difference of two readings gives the mean of each over a phase.
   */
  record EtcdDisk(double fsyncs, double fsyncSeconds, double commits, double commitSeconds) {
    static EtcdDisk read(String endpoint) throws Exception {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Double> v = new HashMap<>();
      for (String line : r.body().split("\n")) {
        if (line.startsWith("etcd_disk_")) {
          int space = line.lastIndexOf(' ');
          v.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
      return new EtcdDisk(v.getOrDefault("etcd_disk_wal_fsync_duration_seconds_count", 0.0),
          v.getOrDefault("etcd_disk_wal_fsync_duration_seconds_sum", 0.0),
          v.getOrDefault("etcd_disk_backend_commit_duration_seconds_count", 0.0),
          v.getOrDefault("etcd_disk_backend_commit_duration_seconds_sum", 0.0));
    }

    /** Means over the time since {@code before}, in milliseconds. */
    Map<String, Object> since(EtcdDisk before) {
      double n = fsyncs - before.fsyncs;
      double c = commits - before.commits;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("walFsyncs", (long) n);
      m.put("walFsyncMeanMs", n == 0 ? Double.NaN : (fsyncSeconds - before.fsyncSeconds) / n * 1000);
      m.put("backendCommitMeanMs", c == 0 ? Double.NaN : (commitSeconds - before.commitSeconds) / c * 1000);
      return m;
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** When each pod was created, accepted, and first seen bound and Running (nanoTime; 0: not yet). */
  private static final class PodTimes {
    final int n;
    final String namespace;
    final AtomicLongArray created;
    final AtomicLongArray accepted;
    final AtomicLongArray bound;
    final AtomicLongArray running;
    private final AtomicInteger boundCount = new AtomicInteger();
    private final AtomicInteger runningCount = new AtomicInteger();

    PodTimes(int n, String namespace) {
      this.n = n;
      this.namespace = namespace;
      created = new AtomicLongArray(n);
      accepted = new AtomicLongArray(n);
      bound = new AtomicLongArray(n);
      running = new AtomicLongArray(n);
    }

    ApiClient.Watch watch(ApiClient client) {
      String rv = client.list(Kinds.POD, ListOptions.inNamespace(namespace)).resourceVersion();
      return client.watch(Kinds.POD, new WatchOptions(namespace, "", "", rv, false), new ApiClient.WatchListener<>() {
        @Override
        public void onEvent(WatchEventType type, Pod pod) {
          long now = System.nanoTime();
          String name = pod.getMetadata().getName();
          if (!name.startsWith("pod-")) {
            return;
          }
          int i = Integer.parseInt(name.substring(4));
          if (!pod.getSpec().getNodeName().isEmpty() && bound.compareAndSet(i, 0, now)) {
            signal(boundCount);
          }
          if (pod.getStatus().getPhase().equals("Running") && running.compareAndSet(i, 0, now)) {
            signal(runningCount);
          }
        }

        @Override
        public void onClose(ApiException error) {
          if (error != null) {
            System.err.println("scale watch ended: " + error.getMessage());
          }
        }
      });
    }

    private void signal(AtomicInteger counter) {
      if (counter.incrementAndGet() == n) {
        synchronized (this) {
          notifyAll();
        }
      }
    }

    synchronized void awaitAll(AtomicLongArray which, String what, Duration timeout) throws Exception {
      AtomicInteger counter = which == bound ? boundCount : runningCount;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (counter.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(counter.get() + " of " + n + " pods " + what + " after " + timeout);
        }
        wait(Math.min(1000, Math.max(1, left / 1_000_000)));
      }
    }

    /** Rates and latencies, in seconds since the first create call. */
    Map<String, Object> report() {
      long start = min(created);
      long[] boundSorted = sorted(bound);
      long[] runningSorted = sorted(running);
      long lastAccepted = max(accepted);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("createSeconds", seconds(lastAccepted - start));
      m.put("createdPerSecond", n / seconds(lastAccepted - start));
      m.put("allBoundSeconds", seconds(boundSorted[n - 1] - start));
      m.put("boundPerSecondOverall", n / seconds(boundSorted[n - 1] - start));
      // Steady state: the middle 80% of binds, without the start-up ramp and the tail.
      int lo = n / 10;
      int hi = Math.max(lo + 1, n * 9 / 10) - 1;
      m.put("boundPerSecondSteady", hi > lo ? (hi - lo) / seconds(boundSorted[hi] - boundSorted[lo]) : Double.NaN);
      m.put("allRunningSeconds", seconds(runningSorted[n - 1] - start));
      List<Duration> toBound = new ArrayList<>(n);
      List<Duration> toRunning = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        toBound.add(Duration.ofNanos(bound.get(i) - created.get(i)));
        toRunning.add(Duration.ofNanos(running.get(i) - created.get(i)));
      }
      m.put("createToBound", Percentiles.of(toBound));
      m.put("createToRunning", Percentiles.of(toRunning));
      m.put("boundTimeline", timeline(boundSorted, start));
      return m;
    }

    /** Pods bound by each whole second since the start: the shape of the run. */
    private static List<Integer> timeline(long[] sorted, long start) {
      List<Integer> perSecond = new ArrayList<>();
      int i = 0;
      for (int s = 1; i < sorted.length; s++) {
        long until = start + s * 1_000_000_000L;
        while (i < sorted.length && sorted[i] <= until) {
          i++;
        }
        perSecond.add(i);
      }
      return perSecond;
    }

    static long[] sorted(AtomicLongArray a) {
      long[] v = new long[a.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = a.get(i);
      }
      Arrays.sort(v);
      return v;
    }

    static long min(AtomicLongArray a) {
      return sorted(a)[0];
    }

    private static long max(AtomicLongArray a) {
      long[] s = sorted(a);
      return s[s.length - 1];
    }
  }
}
