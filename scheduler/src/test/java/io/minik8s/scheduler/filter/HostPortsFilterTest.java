package io.minik8s.scheduler.filter;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.withHostPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.scheduler.framework.NodeInfo;
import org.junit.jupiter.api.Test;

class HostPortsFilterTest {
  private final HostPortsFilter filter = new HostPortsFilter();
  private final NodeInfo node = nodeInfo(node("n"),
      boundTo(withHostPort(pod("web"), "", "TCP", 80), "n"),
      boundTo(withHostPort(pod("dns"), "10.0.0.1", "UDP", 53), "n"));

  private boolean fits(String hostIp, String protocol, int port) {
    return filter.filter(info(withHostPort(pod("p"), hostIp, protocol, port)), node).isFit();
  }

  @Test
  void aTakenPortConflicts() {
    assertThat(fits("", "TCP", 80)).isFalse();
    assertThat(filter.filter(info(withHostPort(pod("p"), "", "TCP", 80)), node).reasons())
        .containsExactly("node(s) didn't have free ports for the requested pod ports");
  }

  @Test
  void wildcardAddressConflictsWithEveryAddress() {
    assertThat(fits("192.168.1.5", "TCP", 80)).isFalse(); // 80 is taken on 0.0.0.0
    assertThat(fits("", "UDP", 53)).isFalse(); // wants 0.0.0.0, 53/UDP is taken on 10.0.0.1
    assertThat(fits("10.0.0.2", "UDP", 53)).isTrue(); // another address
  }

  @Test
  void protocolAndPortMustBothMatch() {
    assertThat(fits("", "UDP", 80)).isTrue();
    assertThat(fits("", "TCP", 53)).isTrue();
    assertThat(fits("", "TCP", 8080)).isTrue();
  }

  @Test
  void podsWithoutHostPortsAlwaysFit() {
    assertThat(filter.filter(info(pod("p")), node).isFit()).isTrue();
  }
}
