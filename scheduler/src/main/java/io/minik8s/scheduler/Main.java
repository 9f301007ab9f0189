package io.minik8s.scheduler;

import io.minik8s.client.leader.LeaderElectionOptions;
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

  static final String DEFAULT_LEASE_NAME = "minik8s-scheduler";

  @Mixin
  CommonOptions common;

  @Mixin
  LeaderElectionOptions election;

  @Option(names = "--apiserver", defaultValue = "${env:MINIK8S_SERVER:-127.0.0.1:6443}",
      description = "API server host:port, or several as host:port,host:port to fail over between (default: $MINIK8S_SERVER, else 127.0.0.1:6443).")
  String apiServer;

  @Option(names = "--scheduler-name", defaultValue = "default-scheduler",
      description = "Schedule only pods whose spec.schedulerName is this (default: ${DEFAULT-VALUE}).")
  String schedulerName;

  @Override
  public Integer call() throws Exception {
    common.configureLogging();
    SchedulerProcess process = SchedulerProcess.start(new SchedulerProcess.Config(apiServer, schedulerName,
        election.leaderElect(), election.leaseNamespace(), election.leaseName(DEFAULT_LEASE_NAME), election.identity(),
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
