package io.minik8s.apiserver;

import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.rest.RestServer;
import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/apiserver}: flags → {@link ApiServer} → run until SIGTERM. */
@Command(name = "apiserver", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s API server: the Kubernetes API over gRPC and REST (for kubectl), stored in etcd.")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 6444;

  @Mixin
  CommonOptions common;

  @Option(names = "--etcd-servers", defaultValue = "http://127.0.0.1:2379", split = ",",
      description = "etcd client URLs, comma-separated (default: ${DEFAULT-VALUE}).")
  java.util.List<String> etcdServers;

  @Option(names = "--port", defaultValue = "6443", description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0",
      description = "Address the gRPC and REST servers listen on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--etcd-timeout", defaultValue = "5s", converter = GoDuration.PositiveConverter.class,
      description = "Deadline of each etcd request (default: ${DEFAULT-VALUE}).")
  Duration etcdTimeout;

  @Option(names = "--watch-bookmark-interval", defaultValue = "60s", converter = GoDuration.PositiveConverter.class,
      description = "How often watchers that asked for bookmarks get one (default: ${DEFAULT-VALUE}).")
  Duration bookmarkInterval;

  @Option(names = "--service-cluster-ip-range", defaultValue = ApiServer.DEFAULT_SERVICE_CLUSTER_IP_RANGE,
      description = "IPv4 CIDR from which Services get their cluster IPs (default: ${DEFAULT-VALUE}).")
  String serviceClusterIpRange;

  @Option(names = "--service-node-port-range", defaultValue = ApiServer.DEFAULT_SERVICE_NODE_PORT_RANGE,
      description = "Ports, first-last, from which NodePort Services get their node ports (default: ${DEFAULT-VALUE}).")
  String serviceNodePortRange;

  @Option(names = "--advertise-address", defaultValue = "",
      description = "Address put in the Endpoints of the Service kubernetes (default: the first non-loopback IPv4 address).")
  String advertiseAddress;

  @Option(names = "--http-port", defaultValue = "8080",
      description = "Port of Kubernetes' REST API, for kubectl (default: ${DEFAULT-VALUE}, and when the default is "
          + "taken by another API server on this host, it runs without; 0: not served).")
  int httpPort;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--tls-cert-file", defaultValue = "",
      description = "PEM certificate (chain) of the REST API; with --tls-private-key-file it serves HTTPS.")
  String tlsCertFile;

  @Option(names = "--tls-private-key-file", defaultValue = "",
      description = "PEM (PKCS#8) private key of --tls-cert-file.")
  String tlsKeyFile;

  @Option(names = "--write-kubeconfig", defaultValue = "",
      description = "Once the REST API serves, write a kubeconfig for kubectl to this file (default: none).")
  String kubeconfig;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    ApiServer.Config config = new ApiServer.Config(String.join(",", etcdServers), bindAddress, port, etcdTimeout,
        bookmarkInterval, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT), serviceClusterIpRange,
        serviceNodePortRange, advertiseAddress, Duration.ofMinutes(3), rest());
    Ipv4Range.parse(serviceClusterIpRange);
    PortRange.parse(serviceNodePortRange);
    ApiServer server = ApiServer.start(config);
    server.lifecycle().installShutdownHook();
    server.lifecycle().awaitShutdown();
    return 0;
  }

  private RestServer.Config rest() {
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--tls-cert-file and --tls-private-key-file go together");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--http-port must be 0 to 65535");
    }
    boolean portGiven = spec.commandLine().getParseResult().hasMatchedOption("--http-port");
    return httpPort == 0 ? null : new RestServer.Config(bindAddress, httpPort, tlsCertFile, tlsKeyFile,
        ApiServer.REST_GIT_VERSION, kubeconfig, portGiven);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s apiserver " + ApiServer.VERSION};
    }
  }
}
