package io.minik8s.kubelet;

import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.CriRuntime;
import io.minik8s.kubelet.cri.RuntimeVersion;
import io.minik8s.kubelet.exec.RuntimeContainerExec;
import io.minik8s.kubelet.logs.LogServer;
import io.minik8s.kubelet.logs.RuntimeContainerLogs;
import io.minik8s.kubelet.node.HostInfo;
import io.minik8s.kubelet.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet process, wired: a {@link KubeletProcess} (API client, health endpoint, pod informer of this
 * node's pods, work queue and workers) hosting one {@link KubeletNode} on the CRI runtime, plus the log
 * server. Node registration, status and lease start first, the pod workers once the runtime answers,
 * the relister once the pods are listed.
 *
 * <p>{@link #start} returns once pods are being synced. {@link #lifecycle()} stops it in reverse order;
 * stopping the kubelet never stops pods: a kubelet started again adopts them.
 */
public final class Kubelet {
  public static final String VERSION = "v0.1.0";
  /** Kubernetes' node lease renew interval (a quarter of the 40 s lease duration). */
  static final Duration LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
  /** The shared scheduler's threads: one node has three periodic tasks, none of them long. */
  static final int TIMER_THREADS = 2;
  private static final Logger log = LoggerFactory.getLogger(Kubelet.class);

  /** Everything the kubelet is configured with (the flags). */
  public record Config(String nodeName, String apiServer, String runtimeEndpoint, String podCidr, String nodeIp,
      String address, int logPort, String healthBindAddress, int healthPort, Path podLogDir, Duration syncPeriod,
      Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, Duration restartBackoffBase,
      Duration restartBackoffMax, List<String> clusterDns, String clusterDomain, int podWorkers,
      Duration relistPeriod) {
    public Config {
      Objects.requireNonNull(nodeName, "nodeName");
      clusterDns = List.copyOf(clusterDns);
    }
  }

  private final ProcessLifecycle lifecycle;
  private final KubeletProcess process;
  private final LogServer logServer;

  private Kubelet(ProcessLifecycle lifecycle, KubeletProcess process, LogServer logServer) {
    this.lifecycle = lifecycle;
    this.process = process;
    this.logServer = logServer;
  }

  public static Kubelet start(Config config) throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("kubelet", Duration.ofSeconds(40));
    KubeletProcess process = KubeletProcess.start(lifecycle, new KubeletProcess.Options(config.apiServer(),
        "spec.nodeName=" + config.nodeName(), config.syncPeriod(), config.podWorkers(), TIMER_THREADS,
        config.healthBindAddress(), config.healthPort()));
    ContainerRuntime runtime = lifecycle.register("cri client", CriRuntime.connect(config.runtimeEndpoint()));
    HostInfo host = HostInfo.detect(config.nodeIp());
    NodeConfig nodeConfig = new NodeConfig(config.nodeName(), config.podCidr(), config.logPort(), VERSION);

    LogServer logServer = lifecycle.register("log server", new LogServer(new RuntimeContainerLogs(runtime),
        new RuntimeContainerExec(runtime)));
    logServer.start(config.address(), config.logPort());

    KubeletNode node = lifecycle.register("node " + config.nodeName(), new KubeletNode(nodeConfig, host, runtime,
        new KubeletNode.Settings(config.nodeStatusUpdateFrequency(), config.nodeStatusReportFrequency(),
            LEASE_RENEW_INTERVAL, config.relistPeriod(), config.restartBackoffBase(), config.restartBackoffMax(),
            config.podLogDir(), config.clusterDns(), config.clusterDomain(), true),
        process.shared(process.meters())));
    node.startHeartbeats(Duration.ZERO);
    process.health()
        .addReadinessCheck("node-registered", HealthCheck.of(node::registered, "node not registered yet"))
        .addReadinessCheck("runtime", HealthCheck.of(node::runtimeReady, "container runtime not ready"));

    RuntimeVersion version = awaitRuntime(runtime, lifecycle);
    log.atInfo().addKeyValue("runtime", version.runtimeName()).addKeyValue("version", version.runtimeVersion())
        .addKeyValue("endpoint", config.runtimeEndpoint()).log("container runtime answers");

    node.startPodWorkers(version);
    if (!process.startPodSync()) {
      return new Kubelet(lifecycle, process, logServer);
    }
    node.startRelist(Duration.ZERO);
    process.health().addReadinessCheck("pleg",
        HealthCheck.of(node::relistHealthy, "relist has not worked for 3 minutes"));
    log.atInfo().addKeyValue("node", config.nodeName()).addKeyValue("apiserver", config.apiServer())
        .addKeyValue("logPort", logServer.port()).addKeyValue("healthPort", process.health().port())
        .addKeyValue("podCIDR", config.podCidr()).addKeyValue("nodeIP", host.nodeIp()).log("kubelet started");
    return new Kubelet(lifecycle, process, logServer);
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

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int healthPort() {
    return process.health().port();
  }

  public int logPort() {
    return logServer.port();
  }
}
