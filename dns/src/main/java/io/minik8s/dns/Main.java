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
      description = "API server host:port (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--listen", defaultValue = "0.0.0.0:53",
      description = "Address and port served over UDP and TCP (default: ${DEFAULT-VALUE}).")
  String listen;

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
    DnsProcess process = DnsProcess.start(new DnsProcess.Config(apiServer, HostPort.parse(listen, 53), clusterDomain,
        upstreamAddresses, upstreamTimeout, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT)));
    process.lifecycle().awaitShutdown();
    return 0;
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
