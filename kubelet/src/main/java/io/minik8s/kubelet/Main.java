package io.minik8s.kubelet;

import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import io.minik8s.kubelet.node.HostInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/kubelet}: flags → {@link Kubelet} → run until SIGTERM (the pods keep running). */
@Command(name = "kubelet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s kubelet: runs this node's pods through a CRI container runtime (containerd, CRI-O).")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 10248;
  static final Duration DEFAULT_NODE_STATUS_UPDATE_FREQUENCY = Duration.ofSeconds(10);
  static final Duration DEFAULT_NODE_STATUS_REPORT_FREQUENCY = Duration.ofMinutes(5);

  @Mixin
  CommonOptions common;

  @Option(names = "--node-name", description = "Name of this node (default: the host name).")
  String nodeName;

  @Option(names = "--apiserver", description = "API server host:port, or several as host:port,host:port to fail over between (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--container-runtime-endpoint", defaultValue = "unix:///run/containerd/containerd.sock",
      description = "CRI socket of the container runtime (default: ${DEFAULT-VALUE}; CRI-O: "
          + "unix:///var/run/crio/crio.sock).")
  String runtimeEndpoint;

  @Option(names = "--pod-cidr", defaultValue = "", description = "This node's pod CIDR, published in spec.podCIDR.")
  String podCidr;

  @Option(names = "--node-ip", defaultValue = "",
      description = "This node's IP (default: the address of the default route's interface).")
  String nodeIp;

  @Option(names = "--address", defaultValue = "0.0.0.0",
      description = "Address the log server listens on (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--log-port", defaultValue = "10250",
      description = "Port of the container log server (default: ${DEFAULT-VALUE}).")
  int logPort;

  @Option(names = "--pod-log-dir", defaultValue = "/var/log/pods",
      description = "Where the runtime writes pods' container logs (default: ${DEFAULT-VALUE}).")
  Path podLogDir;

  @Option(names = "--sync-period", defaultValue = "10s", converter = GoDuration.PositiveConverter.class,
      description = "How often every pod is synced even without changes (default: ${DEFAULT-VALUE}).")
  Duration syncPeriod;

  @Option(names = "--node-status-update-frequency", converter = GoDuration.PositiveConverter.class,
      description = "How often the node's status is computed, and written if it changed (default: 10s).")
  Duration nodeStatusUpdateFrequency;

  @Option(names = "--node-status-report-frequency", converter = GoDuration.PositiveConverter.class,
      description = "How often the node's status is written even if unchanged; the Lease is the heartbeat "
          + "in between (default: 5m, or --node-status-update-frequency when that is given, as in Kubernetes).")
  Duration nodeStatusReportFrequency;

  @Option(names = "--restart-backoff-base", defaultValue = "10s", converter = GoDuration.PositiveConverter.class,
      description = "First wait before restarting a crashed container; doubles each time (default: ${DEFAULT-VALUE}).")
  Duration restartBackoffBase;

  @Option(names = "--restart-backoff-max", defaultValue = "5m", converter = GoDuration.PositiveConverter.class,
      description = "Longest wait before restarting a crashed container (default: ${DEFAULT-VALUE}).")
  Duration restartBackoffMax;

  @Option(names = "--cluster-dns", split = ",", defaultValue = "",
      description = "Nameserver IPs for ClusterFirst pods, comma-separated (default: none: the node's resolv.conf).")
  List<String> clusterDns;

  @Option(names = "--cluster-domain", defaultValue = "cluster.local",
      description = "The cluster's DNS domain (default: ${DEFAULT-VALUE}).")
  String clusterDomain;

  @Option(names = "--pod-workers", defaultValue = "8",
      description = "Pods synced at the same time (default: ${DEFAULT-VALUE}).")
  int podWorkers;

  @Option(names = "--relist-period", defaultValue = "1s", converter = GoDuration.PositiveConverter.class,
      description = "How often the runtime is listed for container changes (default: ${DEFAULT-VALUE}).")
  Duration relistPeriod;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    // grpc-netty asks the unix socket for SO_KEEPALIVE, which it has not; Netty warns on every connect.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty.bootstrap.Bootstrap"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    if (restartBackoffMax.compareTo(restartBackoffBase) < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--restart-backoff-max must not be below --restart-backoff-base");
    }
    Duration updateFrequency = nodeStatusUpdateFrequency != null ? nodeStatusUpdateFrequency
        : DEFAULT_NODE_STATUS_UPDATE_FREQUENCY;
    Duration reportFrequency = nodeStatusReportFrequency != null ? nodeStatusReportFrequency
        : nodeStatusUpdateFrequency != null ? nodeStatusUpdateFrequency : DEFAULT_NODE_STATUS_REPORT_FREQUENCY;
    String server = apiServer != null ? apiServer
        : System.getenv().getOrDefault("MINIK8S_SERVER", "127.0.0.1:6443");
    Kubelet.Config config = new Kubelet.Config(
        nodeName != null && !nodeName.isEmpty() ? nodeName : HostInfo.localHostname(), server, runtimeEndpoint,
        podCidr, nodeIp, address, logPort, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT),
        podLogDir.toAbsolutePath(), syncPeriod, updateFrequency, reportFrequency, restartBackoffBase, restartBackoffMax,
        clusterDns.stream().filter(s -> !s.isBlank()).toList(), clusterDomain, podWorkers, relistPeriod);
    Kubelet kubelet = Kubelet.start(config);
    kubelet.lifecycle().installShutdownHook();
    kubelet.lifecycle().awaitShutdown();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s kubelet " + Kubelet.VERSION};
    }
  }
}
