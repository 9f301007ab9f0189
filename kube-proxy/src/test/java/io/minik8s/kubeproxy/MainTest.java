package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void loadBalancerIpsAreBoundUnlessTurnedOff() {
    Main byDefault = new Main();
    new CommandLine(byDefault).parseArgs();
    assertThat(byDefault.bindLoadBalancerIps).isTrue();

    Main off = new Main();
    new CommandLine(off).parseArgs("--bind-load-balancer-ips=false");
    assertThat(off.bindLoadBalancerIps).isFalse();

    Main on = new Main();
    new CommandLine(on).parseArgs("--bind-load-balancer-ips");
    assertThat(on.bindLoadBalancerIps).isTrue();
  }

  @Test
  void aMinSyncPeriodAboveTheSyncPeriodIsRefusedByName() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new Main()).setErr(new java.io.PrintWriter(err));
    int exit = cli.execute("--min-sync-period", "5s", "--sync-period", "1s");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--min-sync-period (5000 ms) exceeds --sync-period (1000 ms)");
  }
}
