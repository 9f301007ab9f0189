package io.minik8s.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.controllermanager.loadbalancer.IpPool;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void theLoadBalancerPoolFlagIsParsedAndEmptyByDefault() {
    Main main = new Main();
    new CommandLine(main).parseArgs();
    assertThat(main.loadBalancerIpPool.isEmpty()).isTrue();

    Main withPool = new Main();
    new CommandLine(withPool).parseArgs("--load-balancer-ip-pool", "10.0.0.0/30,10.0.1.1-10.0.1.2");
    assertThat(withPool.loadBalancerIpPool).isEqualTo(IpPool.parse("10.0.0.1-10.0.0.2,10.0.1.1-10.0.1.2"));
  }

  @Test
  void aBadPoolIsAUsageErrorNamingTheFlagAndTheBadItem() {
    assertThatThrownBy(() -> new CommandLine(new Main()).parseArgs("--load-balancer-ip-pool", "10.0.0.0/24,10.0.0.x/30"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--load-balancer-ip-pool")
        .hasMessageContaining("\"10.0.0.x/30\"");
  }
}
