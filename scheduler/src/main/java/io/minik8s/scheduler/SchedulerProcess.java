package io.minik8s.scheduler;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.leader.ActWhileLeading;
import io.minik8s.client.leader.LeaderElectionConfig;
import io.minik8s.client.leader.LeaderElector;
import io.minik8s.client.leader.LeaseClient;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.scheduler.algorithm.SchedulingAlgorithm;
import io.minik8s.scheduler.algorithm.SchedulingProfile;
import io.minik8s.scheduler.binder.ApiServerBinder;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.queue.SchedulingQueue;
import io.minik8s.scheduler.report.ApiServerReporter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler process, wired: API client → pod and node informers → queue and cache → scheduling
 * loop, binder threads and reporter; leader election decides when the loop runs; the health server
 * serves {@code /healthz}, {@code /readyz} (ready once the informers have synced, whether leading or
 * standing by) and {@code /metrics}.
 *
 * <p>Standby copies keep their informers, queue and cache warm, so a new leader schedules at once.
 * Losing the lease ends the process with exit code 1, as kube-scheduler does: a deposed leader cannot
 * know which of its in-flight decisions a successor has seen, and a restart starts it clean (its
 * supervisor restarts it; it then stands by).
 */
public final class SchedulerProcess {
  private static final Logger log = LoggerFactory.getLogger(SchedulerProcess.class);
  /**
   * Binds in flight at once. A bind is two etcd round trips in the API server (read, then
   * compare-and-swap), tens to hundreds of milliseconds on a busy machine, so the binding rate is at
   * most this many binds per round trip, and the binds' share of a busy API server is their share of its
   * requests in flight. Measured at 1,000 hollow nodes with 64 clients creating pods: 4 threads bound
   * ~50 pods/s, 32 ~110, 64 ~140, 128 as fast as the pods were created (~160-170). Kubernetes binds each
   * pod in a goroutine of its own. The threads are made when binds wait and end after a minute idle.
   */
  public static final int BIND_THREADS = 128;

  /** Everything the process is configured with. */
  public record Config(String apiServer, String schedulerName, boolean leaderElect, String leaseNamespace,
      String leaseName, String identity, String healthBindAddress, int healthPort) {}

  private final ProcessLifecycle lifecycle;
  private final HealthServer health;

  private SchedulerProcess(ProcessLifecycle lifecycle, HealthServer health) {
    this.lifecycle = lifecycle;
    this.health = health;
  }

  /**
   * Starts the process: installs the SIGTERM hook, serves health, waits (as long as it takes) for the
   * informers to sync, then starts leader election (or, without it, the loop). Returns once running;
   * {@link #lifecycle()} stops it.
   */
  public static SchedulerProcess start(Config config) throws Exception {
    // The hook first: SIGTERM while waiting for the API server must still shut down in order.
    ProcessLifecycle lifecycle = new ProcessLifecycle("scheduler", Duration.ofSeconds(20)).installShutdownHook();
    try {
      return wire(config, lifecycle);
    } catch (Exception | Error e) {
      lifecycle.shutdown("start-up failed");
      throw e;
    }
  }

  private static SchedulerProcess wire(Config config, ProcessLifecycle lifecycle) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HealthServer health = lifecycle.register("health server", new HealthServer(meters));

    ApiClient client = lifecycle.register("api client", ApiClient.connect(config.apiServer()));
    SchedulingQueue queue = lifecycle.register("scheduling queue", new SchedulingQueue());
    SchedulerCache cache = new SchedulerCache();
    SchedulerMetrics metrics = new SchedulerMetrics(meters, queue);

    InformerFactory informers = lifecycle.register("informers", InformerFactory.forClient(client));
    Informer<Pod> podInformer = informers.informer(Kinds.POD);
    Informer<Node> nodeInformer = informers.informer(Kinds.NODE);
    podInformer.addEventHandler(new PodEventHandler(config.schedulerName(), queue, cache));
    nodeInformer.addEventHandler(new NodeEventHandler(queue, cache));

    EventRecorder events = new EventRecorder(client, config.schedulerName(), config.identity(), Clock.systemUTC());
    ApiServerReporter reporter = lifecycle.register("reporter",
        new ApiServerReporter(client, events, Clock.systemUTC()));
    ThreadPoolExecutor bindExecutor = new ThreadPoolExecutor(BIND_THREADS, BIND_THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("binder"));
    bindExecutor.allowCoreThreadTimeOut(true);
    lifecycle.register("binder threads", () -> {
      bindExecutor.shutdown();
      if (!bindExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
        bindExecutor.shutdownNow();
      }
    });
    Scheduler scheduler = new Scheduler(config.schedulerName(), queue, cache,
        new SchedulingAlgorithm(SchedulingProfile.defaults(), RandomGenerator.of("L64X128MixRandom")),
        podInformer.lister(), new ApiServerBinder(client), bindExecutor, reporter, metrics, System::nanoTime,
        Clock.systemUTC());

    health.addReadinessCheck("informers", HealthCheck.of(informers::hasSynced, "informers have not synced yet"));
    health.start(config.healthBindAddress(), config.healthPort());

    informers.startAll();
    while (!informers.awaitSynced(Duration.ofSeconds(10))) {
      if (lifecycle.isShuttingDown()) {
        throw new IllegalStateException("shut down before the informers synced");
      }
      log.atWarn().addKeyValue("apiserver", config.apiServer()).log("still waiting for informers to sync");
    }
    log.atInfo().addKeyValue("nodes", nodeInformer.store().size()).addKeyValue("pods", podInformer.store().size())
        .log("informers synced");

    if (config.leaderElect()) {
      LeaderElector elector = new LeaderElector(LeaderElectionConfig.builder()
          .lease(config.leaseNamespace(), config.leaseName())
          .identity(config.identity())
          .callbacks(new ActWhileLeading("scheduler", lifecycle, scheduler::start))
          .build(), LeaseClient.of(client));
      // Closed after the loop (registered earlier): the lease is released only once we stopped binding.
      lifecycle.register("leader elector", elector);
      lifecycle.register("scheduling loop", scheduler);
      elector.start();
    } else {
      lifecycle.register("scheduling loop", scheduler);
      scheduler.start();
    }
    log.atInfo().addKeyValue("apiserver", config.apiServer()).addKeyValue("schedulerName", config.schedulerName())
        .addKeyValue("identity", config.identity()).addKeyValue("leaderElect", config.leaderElect())
        .addKeyValue("healthPort", health.port()).log("scheduler started");
    return new SchedulerProcess(lifecycle, health);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int healthPort() {
    return health.port();
  }
}
