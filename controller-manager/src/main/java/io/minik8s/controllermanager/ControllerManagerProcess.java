package io.minik8s.controllermanager;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.leader.ActWhileLeading;
import io.minik8s.client.leader.LeaderElectionConfig;
import io.minik8s.client.leader.LeaderElector;
import io.minik8s.client.leader.LeaseClient;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.client.workqueue.ControllerRunner;
import io.minik8s.client.workqueue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller-manager process, wired: API client → one shared informer factory → the enabled
 * controllers (each with its own work queue, event recorder and {@link ControllerRunner}); leader
 * election decides when the runners start; the health server serves {@code /healthz}, {@code /readyz}
 * (ready once the informers have synced, leading or standing by) and {@code /metrics} (per controller:
 * queue depth, adds, retries, reconcile latency and errors, tagged by controller name).
 *
 * <p>Standby copies keep their informers warm, so a new leader acts at once. Losing the lease ends the
 * process with exit code 1, as kube-controller-manager does: a deposed leader cannot know which of its
 * writes in flight a successor has seen; its supervisor restarts it and it then stands by.
 */
public final class ControllerManagerProcess {
  private static final Logger log = LoggerFactory.getLogger(ControllerManagerProcess.class);

  /** Everything the process is configured with. */
  public record Config(String apiServer, String controllers, boolean leaderElect, String leaseNamespace,
      String leaseName, String identity, int concurrentSyncs, String healthBindAddress, int healthPort) {}

  private final ProcessLifecycle lifecycle;
  private final HealthServer health;
  private final List<String> controllers;

  private ControllerManagerProcess(ProcessLifecycle lifecycle, HealthServer health, List<String> controllers) {
    this.lifecycle = lifecycle;
    this.health = health;
    this.controllers = controllers;
  }

  /**
   * Starts the process with {@code registry}'s controllers as {@code config.controllers()} selects them:
   * installs the SIGTERM hook, serves health, waits (as long as it takes) for the informers to sync,
   * then starts leader election (or, without it, the controllers). Returns once running.
   *
   * @throws IllegalArgumentException if {@code --controllers} names an unknown controller
   */
  public static ControllerManagerProcess start(Config config, ControllerRegistry registry) throws Exception {
    List<String> enabled = registry.select(config.controllers());
    if (config.concurrentSyncs() < 1) {
      throw new IllegalArgumentException("--concurrent-syncs must be >= 1, got " + config.concurrentSyncs());
    }
    ProcessLifecycle lifecycle =
        new ProcessLifecycle("controller-manager", Duration.ofSeconds(20)).installShutdownHook();
    try {
      return wire(config, registry, enabled, lifecycle);
    } catch (Exception | Error e) {
      lifecycle.shutdown("start-up failed");
      throw e;
    }
  }

  private static ControllerManagerProcess wire(Config config, ControllerRegistry registry, List<String> enabled,
      ProcessLifecycle lifecycle) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HealthServer health = lifecycle.register("health server", new HealthServer(meters));
    ApiClient client = lifecycle.register("api client", ApiClient.connect(config.apiServer()));
    InformerFactory informers = lifecycle.register("informers", InformerFactory.forClient(client));
    Clock clock = Clock.systemUTC();

    List<ControllerRunner<String>> runners = new ArrayList<>();
    for (String name : enabled) {
      WorkQueue<String> queue = WorkQueue.<String>builder(name).meterRegistry(meters).build();
      EventRecorder events = new EventRecorder(client, name + "-controller", config.identity(), clock);
      ControllerContext context = new ControllerContext(client, informers, meters, clock, events, queue);
      Controller controller = registry.factory(name).create(context);
      controller.register(context);
      runners.add(new ControllerRunner<>(name, queue, controller, config.concurrentSyncs(), meters));
    }
    Runnable startControllers = () -> runners.forEach(ControllerRunner::start);

    health.addReadinessCheck("informers", HealthCheck.of(informers::hasSynced, "informers have not synced yet"));
    health.start(config.healthBindAddress(), config.healthPort());

    informers.startAll();
    while (!informers.awaitSynced(Duration.ofSeconds(10))) {
      if (lifecycle.isShuttingDown()) {
        throw new IllegalStateException("shut down before the informers synced");
      }
      log.atWarn().addKeyValue("apiserver", config.apiServer()).log("still waiting for informers to sync");
    }
    log.atInfo().addKeyValue("controllers", enabled).log("informers synced");

    if (config.leaderElect()) {
      LeaderElector elector = new LeaderElector(LeaderElectionConfig.builder()
          .lease(config.leaseNamespace(), config.leaseName())
          .identity(config.identity())
          .callbacks(new ActWhileLeading("controller-manager", lifecycle, startControllers))
          .build(), LeaseClient.of(client));
      // Closed after the controllers (registered earlier): the lease is released once we stopped writing.
      lifecycle.register("leader elector", elector);
      registerRunners(lifecycle, runners);
      elector.start();
    } else {
      registerRunners(lifecycle, runners);
      startControllers.run();
    }
    log.atInfo().addKeyValue("apiserver", config.apiServer()).addKeyValue("controllers", enabled)
        .addKeyValue("identity", config.identity()).addKeyValue("leaderElect", config.leaderElect())
        .addKeyValue("healthPort", health.port()).log("controller-manager started");
    return new ControllerManagerProcess(lifecycle, health, enabled);
  }

  private static void registerRunners(ProcessLifecycle lifecycle, List<ControllerRunner<String>> runners) {
    for (ControllerRunner<String> r : runners) {
      lifecycle.register("controller " + r.name(), () -> r.stop(Duration.ofSeconds(10)));
    }
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int healthPort() {
    return health.port();
  }

  /** The names of the controllers this process runs. */
  public List<String> controllers() {
    return controllers;
  }
}
