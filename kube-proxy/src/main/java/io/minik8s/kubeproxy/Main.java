package io.minik8s.kubeproxy;

import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import io.minik8s.kubeproxy.iptables.ExecIptablesRunner;
import io.minik8s.kubeproxy.loadbalancer.IpCommandLinkAddresses;
import io.minik8s.kubeproxy.loadbalancer.LoadBalancerAddressBinder;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/kube-proxy}: flags → {@link KubeProxyProcess} → run until SIGTERM; or {@code --cleanup} and exit. */
@Command(name = "kube-proxy", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s kube-proxy: programs this node's iptables so Service addresses reach their pods.")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 10256;
  static final String VERSION = "v0.1.0";

  @Mixin
  CommonOptions common;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--apiserver", defaultValue = "${env:MINIK8S_SERVER:-127.0.0.1:6443}",
      description = "API server host:port, or several as host:port,host:port to fail over between (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--node-name", description = "This node's name, to follow its addresses (default: the host name).")
  String nodeName;

  @Option(names = "--cluster-cidr", defaultValue = "",
      description = "Pod CIDR; traffic to a ClusterIP from outside it is masqueraded (default: none).")
  String clusterCidr;

  @Option(names = "--min-sync-period", defaultValue = "1s", converter = GoDuration.PositiveConverter.class,
      description = "Least time between two syncs: changes within it are batched (default: ${DEFAULT-VALUE}).")
  Duration minSyncPeriod;

  @Option(names = "--sync-period", defaultValue = "30s", converter = GoDuration.PositiveConverter.class,
      description = "Period of the full resync that repairs rules changed by hand (default: ${DEFAULT-VALUE}).")
  Duration syncPeriod;

  @Option(names = "--bind-load-balancer-ips", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Hold the Services' load-balancer IPs as /32 addresses on the link "
          + IpCommandLinkAddresses.DEFAULT_LINK + " so this node answers ARP for them (default: ${DEFAULT-VALUE}).")
  boolean bindLoadBalancerIps;

  @Option(names = "--cleanup",
      description = "Remove every minik8s chain and jump from iptables and the link " + IpCommandLinkAddresses.DEFAULT_LINK
          + ", then exit.")
  boolean cleanup;

  @Override
  public Integer call() throws Exception {
    if (minSyncPeriod.compareTo(syncPeriod) > 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--min-sync-period ("
          + minSyncPeriod.toMillis() + " ms) exceeds --sync-period (" + syncPeriod.toMillis() + " ms)");
    }
    common.configureLogging();
    if (cleanup) {
      Proxier.cleanup(ExecIptablesRunner.host());
      LoadBalancerAddressBinder.cleanup(IpCommandLinkAddresses.host());
      return 0;
    }
    KubeProxyProcess process = KubeProxyProcess.start(new KubeProxyProcess.Config(apiServer,
        nodeName != null ? nodeName : hostName(), clusterCidr, minSyncPeriod, syncPeriod,
        common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT)), ExecIptablesRunner.host(),
        bindLoadBalancerIps ? IpCommandLinkAddresses.host() : null);
    process.lifecycle().awaitShutdown();
    return 0;
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s kube-proxy " + VERSION};
    }
  }
}
