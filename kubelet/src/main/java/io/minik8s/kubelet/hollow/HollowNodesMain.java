package io.minik8s.kubelet.hollow;

import io.minik8s.client.codec.Quantity;
import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import io.minik8s.kubelet.Kubelet;
import io.minik8s.kubelet.node.HostInfo;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/hollow-nodes}: flags → {@link HollowNodes} → run until SIGTERM. */
@Command(name = "hollow-nodes", mixinStandardHelpOptions = true, versionProvider = HollowNodesMain.Version.class,
    description = {"Many simulated nodes in one process, for benchmarks of the control plane at scale: each runs "
        + "the kubelet's own registration, status, Lease, pod sync and status writes on an in-memory container "
        + "runtime whose containers start at once. Named <prefix>0..<prefix>N-1, each with its own pod CIDR "
        + "and IP. Container logs, exec and real networking are not simulated."})
public final class HollowNodesMain implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 10255;

  @Mixin
  CommonOptions common;

  @Option(names = "--count", defaultValue = "1", description = "How many nodes (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--apiserver", description = "API server host:port (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--name-prefix", defaultValue = "hollow-node-",
      description = "Node names are this prefix and 0..count-1 (default: ${DEFAULT-VALUE}).")
  String namePrefix;

  @Option(names = "--cluster-cidr", defaultValue = "10.64.0.0/10",
      description = "Pod addresses: node i gets the i-th /24 as its pod CIDR (default: ${DEFAULT-VALUE}).")
  String clusterCidr;

  @Option(names = "--node-cidr", defaultValue = "172.20.0.0/16",
      description = "Node addresses: node i gets the i-th host address as InternalIP (default: ${DEFAULT-VALUE}).")
  String nodeCidr;

  @Option(names = "--node-cpu", defaultValue = "4", description = "CPU cores of each node (default: ${DEFAULT-VALUE}).")
  int cpu;

  @Option(names = "--node-memory", defaultValue = "16Gi",
      description = "Memory of each node, a quantity (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--sync-period", defaultValue = "10s", converter = GoDuration.PositiveConverter.class,
      description = "How often every pod is synced even without changes (default: ${DEFAULT-VALUE}).")
  Duration syncPeriod;

  @Option(names = "--node-status-update-frequency", defaultValue = "10s", converter = GoDuration.PositiveConverter.class,
      description = "How often each node's status is computed, and written if it changed (default: ${DEFAULT-VALUE}).")
  Duration nodeStatusUpdateFrequency;

  @Option(names = "--node-status-report-frequency", defaultValue = "5m", converter = GoDuration.PositiveConverter.class,
      description = "How often each node's status is written even if unchanged (default: ${DEFAULT-VALUE}).")
  Duration nodeStatusReportFrequency;

  @Option(names = "--lease-renew-interval", defaultValue = "10s", converter = GoDuration.PositiveConverter.class,
      description = "How often each node renews its Lease (default: ${DEFAULT-VALUE}).")
  Duration leaseRenewInterval;

  @Option(names = "--relist-period", defaultValue = "1s", converter = GoDuration.PositiveConverter.class,
      description = "How often each node's runtime is relisted (default: ${DEFAULT-VALUE}).")
  Duration relistPeriod;

  @Option(names = "--pod-workers", defaultValue = "32",
      description = "Threads syncing pods, shared by every node (default: ${DEFAULT-VALUE}).")
  int podWorkers;

  @Option(names = "--timer-threads", defaultValue = "4",
      description = "Threads running every node's status updates, lease renewals and relists (default: ${DEFAULT-VALUE}).")
  int timerThreads;

  @Option(names = "--record-events", defaultValue = "true", negatable = true, fallbackValue = "true",
      description = "Create Events (Pulled, Created, Started...) as a kubelet does (default: ${DEFAULT-VALUE}).")
  boolean recordEvents;

  @Option(names = "--pod-watch", defaultValue = "shared",
      description = "shared: one watch of every bound pod for all nodes; per-node: a watch (and a thread) per node, "
          + "as real kubelets (default: ${DEFAULT-VALUE}).")
  String podWatch;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    CommandLine cl = new CommandLine(this);
    BigDecimal bytes;
    try {
      bytes = Quantity.parse(memory).asDecimal();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--node-memory: " + e.getMessage());
    }
    if (podWorkers < 1 || timerThreads < 1) {
      throw new CommandLine.ParameterException(cl, "--pod-workers and --timer-threads must be at least 1");
    }
    HollowNodeLayout layout;
    try {
      layout = new HollowNodeLayout(namePrefix, clusterCidr, nodeCidr, cpu, bytes.longValue() / 1024,
          HostInfo.detect("127.0.0.1"));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    if (count < 1 || count > layout.capacity()) {
      throw new CommandLine.ParameterException(cl, "--count must be 1.." + layout.capacity()
          + " for --cluster-cidr " + clusterCidr + " and --node-cidr " + nodeCidr);
    }
    HollowNodes.PodWatch watch = switch (podWatch) {
      case "shared" -> HollowNodes.PodWatch.SHARED;
      case "per-node" -> HollowNodes.PodWatch.PER_NODE;
      default -> throw new CommandLine.ParameterException(cl, "--pod-watch must be shared or per-node");
    };
    String server = apiServer != null ? apiServer
        : System.getenv().getOrDefault("MINIK8S_SERVER", "127.0.0.1:6443");
    HollowNodes nodes = HollowNodes.start(new HollowNodes.Config(server, count, layout, syncPeriod,
        nodeStatusUpdateFrequency, nodeStatusReportFrequency, leaseRenewInterval, relistPeriod, podWorkers,
        timerThreads, recordEvents, watch, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT)));
    nodes.lifecycle().installShutdownHook();
    nodes.lifecycle().awaitShutdown();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new HollowNodesMain()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s hollow-nodes " + Kubelet.VERSION};
    }
  }
}
