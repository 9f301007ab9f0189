package io.minik8s.scheduler;

import io.minik8s.client.leader.ProcessIdentity;
import io.minik8s.client.process.CommonOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/scheduler}: flags → {@link SchedulerProcess} → run until SIGTERM (or the lease is lost). */
@Command(name = "scheduler", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The minik8s scheduler: binds pending pods to nodes that fit them.")
public final class Main implements Callable<Integer> {
  static final int DEFAULT_HEALTH_PORT = 10259;
  static final String VERSION = "v0.1.0";

  @Mixin
  CommonOptions common;

  @Option(names = "--apiserver", defaultValue = "${env:MINIK8S_SERVER:-127.0.0.1:6443}",
      description = "API server host:port (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--scheduler-name", defaultValue = "default-scheduler",
      description = "Schedule only pods whose spec.schedulerName is this (default: ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(names = "--leader-elect", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Run only while holding the lease, so several copies can run (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(names = "--lease-namespace", defaultValue = "kube-system",
      description = "Namespace of the leader election Lease (default: ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = "minik8s-scheduler",
      description = "Name of the leader election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--identity",
      description = "This copy's name in the Lease and in Events (default: <hostname>_<pid>).")
  String identity;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    SchedulerProcess process = SchedulerProcess.start(new SchedulerProcess.Config(apiServer, schedulerName,
        leaderElect, leaseNamespace, leaseName, identity != null ? identity : ProcessIdentity.current(),
        common.healthBindAddress(), common.healthPort(DEFAULT_HEALTH_PORT)));
    process.lifecycle().awaitShutdown();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"minik8s scheduler " + VERSION};
    }
  }
}
