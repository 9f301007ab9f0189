package io.minik8s.dns;

import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/dns}: flags → {@link DnsProcess} → run until SIGTERM. */
@Command(name = "dns", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s cluster DNS: Service names under the cluster domain, the rest forwarded upstream.")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 9153;
  static final String VERSION = "v0.1.0";

  @Mixin
  CommonOptions common;

  @Option(names = "--apiserver", defaultValue = "${env:MINIK8S_SERVER:-127.0.0.1:6443}",
      description = "API server host:port, or several as host:port,host:port to fail over between (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--listen",
      description = "Address and port served over UDP and TCP (default: <advertise-address>:53 when "
          + "--advertise-address is given, else 0.0.0.0:53). A specific address leaves port 53 of the host's "
          + "other addresses alone (systemd-resolved holds 127.0.0.53:53, so 0.0.0.0:53 fails there).")
  String listen;

  @Option(names = "--service", defaultValue = "",
      description = "namespace/name of the Service that makes this server reachable at a cluster IP, e.g. "
          + "kube-system/kube-dns: kept without selector (ports dns/53 UDP and dns-tcp/53 TCP to the --listen "
          + "port), with this server's --advertise-address in its Endpoints until SIGTERM (default: none).")
  String service;

  @Option(names = "--service-ip", defaultValue = "",
      description = "Cluster IP of the --service, the one kubelets pass as --cluster-dns, e.g. 10.96.0.10 "
          + "(default: any the API server allocates).")
  String serviceIp;

  @Option(names = "--advertise-address", defaultValue = "",
      description = "This host's address as pods reach it (the node IP), put into the --service's Endpoints; "
          + "not a loopback address: kube-proxy cannot DNAT pods' packets to one (default: the --listen address).")
  String advertiseAddress;

  @Option(names = "--cluster-domain", defaultValue = "cluster.local",
      description = "The domain of Service names (default: ${DEFAULT-VALUE}).")
  String clusterDomain;

  @Option(names = "--upstream", split = ",",
      description = "Resolvers for other names, host[:port], comma-separated (default: the nameservers of /etc/resolv.conf).")
  List<String> upstreams;

  @Option(names = "--upstream-timeout", defaultValue = "2s", converter = GoDuration.PositiveConverter.class,
      description = "How long each upstream resolver gets to answer (default: ${DEFAULT-VALUE}).")
  Duration upstreamTimeout;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    List<String> servers = upstreams != null && !upstreams.isEmpty() ? upstreams
        : ResolvConf.nameservers(Path.of("/etc/resolv.conf"));
    if (servers.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "no upstream resolvers: /etc/resolv.conf lists none; give --upstream");
    }
    List<InetSocketAddress> upstreamAddresses = servers.stream().map(s -> HostPort.parse(s, 53)).toList();
    InetSocketAddress listenAddress = listenAddress();
    DnsProcess process = DnsProcess.start(new DnsProcess.Config(apiServer, listenAddress, clusterDomain,
        upstreamAddresses, upstreamTimeout, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT),
        registration(listenAddress)));
    process.lifecycle().awaitShutdown();
    return 0;
  }

  InetSocketAddress listenAddress() {
    if (listen != null && !listen.isEmpty()) {
      return HostPort.parse(listen, 53);
    }
    return HostPort.parse(advertiseAddress.isEmpty() ? "0.0.0.0" : advertiseAddress, 53);
  }

  /** The Service to register under, without the port (known once bound); null without --service. */
  DnsProcess.Registration registration(InetSocketAddress listenAddress) {
    if (service.isEmpty()) {
      if (!serviceIp.isEmpty() || !advertiseAddress.isEmpty()) {
        throw usage("--service-ip and --advertise-address need --service");
      }
      return null;
    }
    String[] parts = service.split("/");
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw usage("--service must be namespace/name, e.g. kube-system/kube-dns");
    }
    String address = advertiseAddress.isEmpty() ? listenAddress.getAddress().getHostAddress() : advertiseAddress;
    java.net.InetAddress parsed = HostPort.parse(address, 53).getAddress();
    if (parsed.isAnyLocalAddress() || parsed.isLoopbackAddress()) {
      throw usage("--service needs --advertise-address (or a --listen address) that pods can reach, not "
          + address + ": e.g. the node IP");
    }
    return new DnsProcess.Registration(parts[0], parts[1], serviceIp, parsed.getHostAddress());
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(new CommandLine(this), message);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s dns " + VERSION};
    }
  }
}
