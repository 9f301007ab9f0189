package io.minik8s.kubelet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.client.workqueue.ControllerRunner;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.kubelet.events.ApiEventRecorder;
import io.minik8s.kubelet.pod.PodKey;
import io.minik8s.kubelet.pod.PodWorkerRouter;
import io.minik8s.kubelet.pod.PodsByNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process half of a kubelet: what the {@link KubeletNode}s of one process share. One API client
 * (one gRPC channel), the {@code /healthz /readyz /metrics} server, a few scheduler threads for every
 * node's periodic tasks, one thread creating every node's Events, one pod informer split up by node
 * ({@link PodsByNode}), and one pod work queue whose workers serve every node ({@link PodWorkerRouter}).
 * {@code bin/kubelet} hosts one node on it; {@code bin/hollow-nodes} a thousand, with the thread count
 * of one.
 *
 * <p>Order: {@link #start} (health server up, nothing watched yet), create the nodes and
 * {@link KubeletNode#startPodWorkers} them, then {@link #startPodSync} (lists the pods, starts the
 * workers), then the nodes' relisters. Everything is registered with the lifecycle so it closes in the
 * reverse order: the workers stop before the informer, the informer before the client.
 */
public final class KubeletProcess {
  private static final Logger log = LoggerFactory.getLogger(KubeletProcess.class);

  /**
   * @param podFieldSelector which pods the shared informer lists and watches: {@code spec.nodeName=<node>}
   *     for one kubelet, {@code spec.nodeName!=} (every bound pod) for many
   * @param syncPeriod how often every pod is synced even without changes (the informer's resync)
   * @param podWorkers worker threads of the shared pod queue
   * @param timerThreads threads of the shared scheduler (status, lease, relist)
   */
  public record Options(String apiServer, String podFieldSelector, Duration syncPeriod, int podWorkers,
      int timerThreads, String healthBindAddress, int healthPort) {
    public Options {
      Objects.requireNonNull(apiServer, "apiServer");
      Objects.requireNonNull(podFieldSelector, "podFieldSelector");
      if (podWorkers < 1 || timerThreads < 1) {
        throw new IllegalArgumentException("podWorkers and timerThreads must be >= 1");
      }
    }
  }

  private final ProcessLifecycle lifecycle;
  private final Options options;
  private final PrometheusMeterRegistry meters;
  private final HealthServer health;
  private final ApiClient client;
  private final ScheduledExecutorService timers;
  private final ExecutorService events;
  private final InformerFactory informers;
  private final Map<String, PodsByNode> podsBySelector = new ConcurrentHashMap<>();
  private final PodsByNode pods;
  private final WorkQueue<PodKey> queue;
  private final PodWorkerRouter router = new PodWorkerRouter();
  private final ControllerRunner<PodKey> runner;

  private KubeletProcess(ProcessLifecycle lifecycle, Options options) throws InterruptedException {
    this.lifecycle = lifecycle;
    this.options = options;
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.client = lifecycle.register("api client", ApiClient.connect(options.apiServer()));
    this.health = lifecycle.register("health server", new HealthServer(meters));
    health.start(options.healthBindAddress(), options.healthPort());
    this.timers = newTimers(options.timerThreads());
    lifecycle.register("node timers", () -> {
      timers.shutdownNow();
      timers.awaitTermination(5, TimeUnit.SECONDS);
    });
    this.events = ApiEventRecorder.newExecutor();
    lifecycle.register("event recorder", () -> {
      events.shutdown();
      events.awaitTermination(2, TimeUnit.SECONDS);
    });
    this.informers = lifecycle.register("informers", InformerFactory.forClient(client, options.syncPeriod()));
    this.pods = podsWatchedBy(options.podFieldSelector());
    this.queue = WorkQueue.<PodKey>builder("pods").meterRegistry(meters).build();
    this.runner = new ControllerRunner<>("pod-workers", queue, router, options.podWorkers(), meters);
    health.addReadinessCheck("pods-synced", HealthCheck.of(informers::hasSynced, "pod informers not synced"));
  }

  /** Creates the shared parts and serves health; nothing is watched until {@link #startPodSync}. */
  public static KubeletProcess start(ProcessLifecycle lifecycle, Options options) throws InterruptedException {
    return new KubeletProcess(lifecycle, options);
  }

  /** The shared parts as a node takes them; its own meters go to {@code nodeMeters}. */
  public KubeletNode.Shared shared(MeterRegistry nodeMeters) {
    return shared(nodeMeters, pods);
  }

  /** The same with the node's pods from {@code pods} instead of the shared informer. */
  public KubeletNode.Shared shared(MeterRegistry nodeMeters, PodsByNode pods) {
    return new KubeletNode.Shared(client, Clock.systemUTC(), timers, events, pods, queue::add, router, nodeMeters);
  }

  /**
   * The pods of an informer of its own with {@code fieldSelector} (one per selector; one watch and one
   * thread each): hollow nodes watching each their own pods, as real kubelets do, to measure what a
   * thousand watches cost. Ask before {@link #startPodSync}.
   */
  public PodsByNode podsWatchedBy(String fieldSelector) {
    return podsBySelector.computeIfAbsent(fieldSelector, s -> new PodsByNode(
        informers.informer(Kinds.POD, ListOptions.ALL.withFieldSelector(s))));
  }

  /**
   * Lists the pods and waits (as long as it takes) for the list, then starts the pod workers.
   *
   * @return false if the process began shutting down first
   */
  public boolean startPodSync() throws InterruptedException {
    informers.startAll();
    while (!informers.awaitSynced(Duration.ofSeconds(5))) {
      if (lifecycle.isShuttingDown()) {
        return false;
      }
      log.atInfo().addKeyValue("informers", podsBySelector.size()).log("waiting for the first list of pods");
    }
    lifecycle.register("pod workers", runner);
    runner.start();
    return true;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  public HealthServer health() {
    return health;
  }

  public ApiClient client() {
    return client;
  }

  /** Pods in the pod informers (every node's). */
  public int cachedPods() {
    return podsBySelector.values().stream().mapToInt(PodsByNode::size).sum();
  }

  /** Keys waiting in the shared pod queue. */
  public int queuedPods() {
    return queue.len();
  }

  private static ScheduledExecutorService newTimers(int threads) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, "node-timer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
