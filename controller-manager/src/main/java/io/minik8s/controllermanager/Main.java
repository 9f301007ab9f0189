package io.minik8s.controllermanager;

import io.minik8s.client.leader.LeaderElectionOptions;
import io.minik8s.client.process.CommonOptions;
import io.minik8s.client.process.GoDuration;
import io.minik8s.controllermanager.loadbalancer.IpPool;
import io.minik8s.controllermanager.nodelifecycle.NodeLifecycleSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/controller-manager}: flags → {@link ControllerManagerProcess} → run until SIGTERM (or the lease is lost). */
@Command(name = "controller-manager", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s controller-manager: runs the controllers that make the cluster match its objects.")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 10257;
  static final String VERSION = "v0.1.0";

  static final String DEFAULT_LEASE_NAME = "minik8s-controller-manager";

  @Mixin
  CommonOptions common;

  @Mixin
  LeaderElectionOptions election;

  @Option(names = "--apiserver", defaultValue = "${env:MINIK8S_SERVER:-127.0.0.1:6443}",
      description = "API server host:port, or several as host:port,host:port to fail over between (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--controllers", defaultValue = "*",
      description = "Controllers to run: '*' for all, 'name' to enable, '-name' to disable, comma-separated,"
          + " e.g. '*,-nodelifecycle' (default: ${DEFAULT-VALUE}).")
  String controllers;

  @Option(names = "--concurrent-syncs", defaultValue = "2",
      description = "Worker threads per controller (default: ${DEFAULT-VALUE}).")
  int concurrentSyncs;

  @Option(names = "--node-monitor-grace-period", defaultValue = "40s", converter = GoDuration.PositiveConverter.class,
      description = "How long a node's heartbeat may stand still before it is Unknown (default: ${DEFAULT-VALUE}).")
  Duration nodeMonitorGracePeriod;

  @Option(names = "--pod-eviction-timeout", defaultValue = "300s", converter = GoDuration.PositiveConverter.class,
      description = "How long pods stay on an unreachable node before they are deleted (default: ${DEFAULT-VALUE}).")
  Duration podEvictionTimeout;

  @Option(names = "--load-balancer-ip-pool", defaultValue = "", converter = IpPool.Converter.class,
      description = "Addresses the service-lb controller gives to Services of type LoadBalancer: comma-separated"
          + " CIDRs (their hosts, without network and broadcast address) and ranges a.b.c.d-a.b.c.e, e.g."
          + " '192.168.50.240/28,192.168.50.10-192.168.50.19'. Empty (the default): such Services stay pending.")
  IpPool loadBalancerIpPool;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    ControllerManagerProcess process = ControllerManagerProcess.start(new ControllerManagerProcess.Config(apiServer,
        controllers, election.leaderElect(), election.leaseNamespace(), election.leaseName(DEFAULT_LEASE_NAME),
        election.identity(),
        concurrentSyncs, common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT)),
        ControllerRegistry.defaults(new NodeLifecycleSettings(nodeMonitorGracePeriod, podEvictionTimeout),
            loadBalancerIpPool));
    process.lifecycle().awaitShutdown();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s controller-manager " + VERSION};
    }
  }
}
