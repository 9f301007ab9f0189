package io.minik8s.kubelet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.client.workqueue.ControllerRunner;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.CriRuntime;
import io.minik8s.kubelet.cri.RuntimeVersion;
import io.minik8s.kubelet.events.ApiEventRecorder;
import io.minik8s.kubelet.logs.LogServer;
import io.minik8s.kubelet.logs.RuntimeContainerLogs;
import io.minik8s.kubelet.node.HostInfo;
import io.minik8s.kubelet.node.NodeConfig;
import io.minik8s.kubelet.node.NodeLeaseRenewer;
import io.minik8s.kubelet.node.NodeStatusUpdater;
import io.minik8s.kubelet.pleg.Relister;
import io.minik8s.kubelet.pod.PodSpecs;
import io.minik8s.kubelet.pod.PodWorker;
import io.minik8s.kubelet.probe.ProbeManager;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.status.PodStatusCalculator;
import io.minik8s.kubelet.status.PodStatusWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet process, wired: API client and CRI runtime → node registration, status and lease →
 * pod informer (this node's pods only) → work queue → pod workers, fed also by the relister (runtime
 * changes) and a periodic resync → status writes; plus the log server and the health endpoint.
 *
 * <p>{@link #start} returns once pods are being synced. {@link #lifecycle()} stops it in reverse order;
 * stopping the kubelet never stops pods: a kubelet started again adopts them.
 */
public final class Kubelet {
  public static final String VERSION = "v0.1.0";
  static final String UID_INDEX = "uid";
  private static final Logger log = LoggerFactory.getLogger(Kubelet.class);

  /** Everything the kubelet is configured with (the flags). */
  public record Config(String nodeName, String apiServer, String runtimeEndpoint, String podCidr, String nodeIp,
      String address, int logPort, String healthBindAddress, int healthPort, Path podLogDir, Duration syncPeriod,
      Duration nodeStatusUpdateFrequency, Duration restartBackoffBase, Duration restartBackoffMax,
      List<String> clusterDns, String clusterDomain, int podWorkers, Duration relistPeriod) {
    public Config {
      Objects.requireNonNull(nodeName, "nodeName");
      clusterDns = List.copyOf(clusterDns);
    }
  }

  private final ProcessLifecycle lifecycle;
  private final HealthServer health;
  private final LogServer logServer;

  private Kubelet(ProcessLifecycle lifecycle, HealthServer health, LogServer logServer) {
    this.lifecycle = lifecycle;
    this.health = health;
    this.logServer = logServer;
  }

  public static Kubelet start(Config config) throws Exception {
    Clock clock = Clock.systemUTC();
    ProcessLifecycle lifecycle = new ProcessLifecycle("kubelet", Duration.ofSeconds(40));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ApiClient client = lifecycle.register("api client", ApiClient.connect(config.apiServer()));
    ContainerRuntime runtime = lifecycle.register("cri client", CriRuntime.connect(config.runtimeEndpoint()));
    HostInfo host = HostInfo.detect(config.nodeIp());
    NodeConfig nodeConfig = new NodeConfig(config.nodeName(), config.podCidr(), config.logPort(), VERSION);

    HealthServer health = lifecycle.register("health server", new HealthServer(meters));
    health.start(config.healthBindAddress(), config.healthPort());

    LogServer logServer = lifecycle.register("log server", new LogServer(new RuntimeContainerLogs(runtime)));
    logServer.start(config.address(), config.logPort());

    NodeStatusUpdater nodeStatus = lifecycle.register("node status", new NodeStatusUpdater(client, runtime,
        nodeConfig, host, config.nodeStatusUpdateFrequency(), clock));
    nodeStatus.start();
    NodeLeaseRenewer lease = lifecycle.register("node lease",
        new NodeLeaseRenewer(client, config.nodeName(), Duration.ofSeconds(10), clock));
    lease.start();
    health.addReadinessCheck("node-registered", HealthCheck.of(nodeStatus::registered, "node not registered yet"))
        .addReadinessCheck("runtime", HealthCheck.of(nodeStatus::runtimeReady, "container runtime not ready"));

    RuntimeVersion version = awaitRuntime(runtime, lifecycle);
    log.atInfo().addKeyValue("runtime", version.runtimeName()).addKeyValue("version", version.runtimeVersion())
        .addKeyValue("endpoint", config.runtimeEndpoint()).log("container runtime answers");

    InformerFactory informers = lifecycle.register("informers",
        InformerFactory.forClient(client, config.syncPeriod()));
    Informer<Pod> pods = informers.informer(Kinds.POD,
        ListOptions.ALL.withFieldSelector("spec.nodeName=" + config.nodeName()));
    pods.addIndex(UID_INDEX, p -> List.of(p.getMetadata().getUid()));
    WorkQueue<String> queue = WorkQueue.<String>builder("pods").meterRegistry(meters).build();
    pods.addEventHandler(ResourceEventHandler.onChange(p -> queue.add(p.getMetadata().getUid())));

    RestartBackoff backoff = new RestartBackoff(config.restartBackoffBase(), config.restartBackoffMax(), clock);
    ApiEventRecorder events = lifecycle.register("event recorder",
        new ApiEventRecorder(client, config.nodeName(), clock));
    ProbeManager probes = lifecycle.register("probes", new ProbeManager(runtime, queue::add));
    PodWorker worker = lifecycle.register("pod workers (kills)", new PodWorker(
        uid -> pods.lister().byIndex(UID_INDEX, uid).stream().findFirst(),
        runtime,
        new PodSpecs(config.podLogDir(), config.clusterDns(), config.clusterDomain()),
        backoff,
        new PodStatusCalculator(host.nodeIp(), version.runtimeName()),
        new PodStatusWriter(client::updateStatus),
        pod -> confirmDeletion(client, pod),
        probes, events, clock));
    ControllerRunner<String> runner = new ControllerRunner<>("pod-workers", queue, worker, config.podWorkers(),
        meters);
    health.addReadinessCheck("pods-synced", HealthCheck.of(pods::hasSynced, "pod informer not synced"));

    informers.startAll();
    while (!pods.awaitSynced(Duration.ofSeconds(5))) {
      if (lifecycle.isShuttingDown()) {
        return new Kubelet(lifecycle, health, logServer);
      }
      log.info("waiting for the first list of this node's pods");
    }
    lifecycle.register("pod workers", runner);
    runner.start();
    // Only now: the relister's first pass reports every pod in the runtime, and a pod the cache does not
    // know is one to remove, which is true only once the cache holds the API's pods.
    Relister relister = lifecycle.register("relister",
        new Relister(runtime, queue::add, config.relistPeriod(), clock, meters));
    health.addReadinessCheck("pleg", HealthCheck.of(relister::healthy, "relist has not worked for 3 minutes"));
    relister.start();
    log.atInfo().addKeyValue("node", config.nodeName()).addKeyValue("apiserver", config.apiServer())
        .addKeyValue("logPort", logServer.port()).addKeyValue("healthPort", health.port())
        .addKeyValue("podCIDR", config.podCidr()).addKeyValue("nodeIP", host.nodeIp()).log("kubelet started");
    return new Kubelet(lifecycle, health, logServer);
  }

  /** Waits until the runtime answers its Version call; the kubelet can do nothing without it. */
  private static RuntimeVersion awaitRuntime(ContainerRuntime runtime, ProcessLifecycle lifecycle)
      throws InterruptedException {
    long delay = 200;
    while (true) {
      try {
        return runtime.version();
      } catch (RuntimeException e) {
        if (lifecycle.isShuttingDown()) {
          throw new IllegalStateException("shut down while waiting for the container runtime", e);
        }
        log.atWarn().addKeyValue("error", e.getMessage()).addKeyValue("retryInMs", delay)
            .log("container runtime does not answer yet");
        Thread.sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** Deletes the pod object now that its containers are gone; a pod already gone or replaced is fine. */
  private static void confirmDeletion(ApiClient client, Pod pod) {
    try {
      client.delete(Kinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          new DeleteOptions(0L, "", pod.getMetadata().getUid()));
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int healthPort() {
    return health.port();
  }

  public int logPort() {
    return logServer.port();
  }
}
