package io.minik8s.kubelet.hollow;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.kubelet.KubeletNode;
import io.minik8s.kubelet.KubeletProcess;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.RuntimeVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated nodes in one process, for benchmarks of the control plane at scale (Kubernetes'
 * kubemark): each is a real {@link KubeletNode} (registration, status, Lease, pod workers, relister,
 * status writes, deletion) on a {@link FakeRuntime} whose containers start at once and run until
 * deleted, so the API server, scheduler and controllers see a node like any other.
 *
 * <p>What they share ({@link KubeletProcess}): one API client, one informer of every bound pod
 * ({@code spec.nodeName!=}) split up by node instead of a watch per node, one pod work queue and its
 * workers, a few scheduler threads for every node's periodic tasks, one Event thread, one health
 * endpoint. Per node there are only objects, no thread and no server; the per-node meters are dropped
 * and the process exports totals instead: {@code hollow_nodes_registered},
 * {@code hollow_nodes_running_pods}. Relists are spread evenly over the relist period.
 */
public final class HollowNodes {
  private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);
  /** Every bound pod: the shared informer's selection. */
  static final String BOUND_PODS = "spec.nodeName!=";

  /** How the nodes learn of their pods. */
  public enum PodWatch {
    /** One watch of every bound pod, split up by node in the process. */
    SHARED,
    /** A watch per node ({@code spec.nodeName=<node>}), as real kubelets: a thread and a watch each. */
    PER_NODE
  }

  /** The flags. */
  public record Config(String apiServer, int count, HollowNodeLayout layout, Duration syncPeriod,
      Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, Duration leaseRenewInterval,
      Duration relistPeriod, int podWorkers, int timerThreads, boolean recordEvents, PodWatch podWatch,
      String healthBindAddress, int healthPort) {
    public Config {
      Objects.requireNonNull(layout, "layout");
      if (count < 1 || count > layout.capacity()) {
        throw new IllegalArgumentException("count must be 1.." + layout.capacity() + " for these CIDRs, got " + count);
      }
    }
  }

  private final ProcessLifecycle lifecycle;
  private final KubeletProcess process;
  private final List<KubeletNode> nodes;

  private HollowNodes(ProcessLifecycle lifecycle, KubeletProcess process, List<KubeletNode> nodes) {
    this.lifecycle = lifecycle;
    this.process = process;
    this.nodes = nodes;
  }

  /** Starts every node; returns once their pods are being synced (registration may still be going on). */
  public static HollowNodes start(Config config) throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("hollow-nodes", Duration.ofSeconds(40));
    KubeletProcess process = KubeletProcess.start(lifecycle, new KubeletProcess.Options(config.apiServer(),
        BOUND_PODS, config.syncPeriod(), config.podWorkers(), config.timerThreads(), config.healthBindAddress(),
        config.healthPort()));
    MeterRegistry dropped = new CompositeMeterRegistry();
    dropped.config().meterFilter(MeterFilter.deny());
    KubeletNode.Shared shared = process.shared(dropped);
    KubeletNode.Settings settings = new KubeletNode.Settings(config.nodeStatusUpdateFrequency(),
        config.nodeStatusReportFrequency(), config.leaseRenewInterval(), config.relistPeriod(),
        Duration.ofSeconds(10), Duration.ofMinutes(5), Path.of("/var/log/pods"), List.of(), "cluster.local",
        config.recordEvents());
    List<KubeletNode> nodes = new ArrayList<>(config.count());
    lifecycle.register("hollow nodes", () -> {
      for (KubeletNode n : nodes) {
        n.close();
      }
    });
    for (int i = 0; i < config.count(); i++) {
      FakeRuntime runtime = new FakeRuntime(config.layout().podCidr(i), Clock.systemUTC());
      RuntimeVersion version = runtime.version();
      KubeletNode.Shared parts = config.podWatch() == PodWatch.SHARED ? shared
          : process.shared(dropped, process.podsWatchedBy("spec.nodeName=" + config.layout().name(i)));
      KubeletNode node = new KubeletNode(config.layout().nodeConfig(i), config.layout().host(i), runtime, settings,
          parts);
      nodes.add(node);
      node.startHeartbeats(Duration.ZERO);
      node.startPodWorkers(version);
    }
    HollowNodes hollow = new HollowNodes(lifecycle, process, nodes);
    Gauge.builder("hollow_nodes_registered", hollow, HollowNodes::registered)
        .description("hollow nodes whose Node object exists").register(process.meters());
    Gauge.builder("hollow_nodes_running_pods", hollow, HollowNodes::runningPods)
        .description("pods with a ready sandbox at each node's last relist, summed").register(process.meters());
    process.health().addReadinessCheck("nodes-registered",
        HealthCheck.of(() -> hollow.registered() == nodes.size(), "not every hollow node is registered yet"));
    if (!process.startPodSync()) {
      return hollow;
    }
    long spreadNanos = config.relistPeriod().toNanos() / config.count();
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).startRelist(Duration.ofNanos(spreadNanos * i));
    }
    log.atInfo().addKeyValue("nodes", config.count()).addKeyValue("first", config.layout().name(0))
        .addKeyValue("apiserver", config.apiServer()).addKeyValue("healthPort", process.health().port())
        .log("hollow nodes started");
    return hollow;
  }

  /** Nodes whose Node object exists. */
  public int registered() {
    int n = 0;
    for (KubeletNode node : nodes) {
      if (node.registered()) {
        n++;
      }
    }
    return n;
  }

  /** Pods with a ready sandbox, over every node. */
  public long runningPods() {
    long n = 0;
    for (KubeletNode node : nodes) {
      n += node.runningPods();
    }
    return n;
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int healthPort() {
    return process.health().port();
  }
}
