package io.minik8s.kubelet.hollow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.kubelet.node.HostInfo;
import io.minik8s.kubelet.node.NodeStatusBuilder;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HollowNodeLayoutTest {
  private static final HostInfo REAL = new HostInfo("host", "192.168.1.2", 2, 1000, "6.1.0", "Debian GNU/Linux 12",
      "amd64", "mid", "bid", "uuid");
  private final HollowNodeLayout layout = new HollowNodeLayout("hollow-node-", "10.64.0.0/10", "172.20.0.0/16", 4,
      16L * 1024 * 1024, REAL);

  @Test
  void nodeIGetsItsNameTheIthSlash24AndTheIthAddress() {
    assertThat(layout.name(0)).isEqualTo("hollow-node-0");
    assertThat(layout.podCidr(0)).isEqualTo("10.64.0.0/24");
    assertThat(layout.podCidr(1)).isEqualTo("10.64.1.0/24");
    assertThat(layout.podCidr(999)).isEqualTo("10.67.231.0/24");
    assertThat(layout.nodeIp(0)).isEqualTo("172.20.0.1");
    assertThat(layout.nodeIp(999)).isEqualTo("172.20.3.232");
    assertThat(layout.capacity()).isEqualTo(16384);
  }

  @Test
  void everyNodeOfAThousandIsDistinctAndShapedLikeASmallMachine() {
    Set<String> names = new HashSet<>();
    Set<String> cidrs = new HashSet<>();
    Set<String> ips = new HashSet<>();
    Set<String> machineIds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      names.add(layout.name(i));
      cidrs.add(layout.podCidr(i));
      ips.add(layout.nodeIp(i));
      machineIds.add(layout.host(i).machineId());
    }
    assertThat(names).hasSize(1000);
    assertThat(cidrs).hasSize(1000);
    assertThat(ips).hasSize(1000);
    assertThat(machineIds).hasSize(1000);

    HostInfo host = layout.host(7);
    assertThat(host.hostname()).isEqualTo("hollow-node-7");
    assertThat(host.cpuCores()).isEqualTo(4);
    assertThat(host.memoryKi()).isEqualTo(16L * 1024 * 1024);
    assertThat(host.kernelVersion()).isEqualTo("6.1.0");
    var status = NodeStatusBuilder.status(layout.nodeConfig(7), host, Optional.empty(),
        NodeStatusBuilder.RuntimeCheck.failed("x"), java.util.List.of(), java.time.Instant.EPOCH);
    assertThat(status.getCapacityMap()).containsEntry("cpu", "4").containsEntry("memory", "16777216Ki")
        .containsEntry("pods", "110");
  }

  @Test
  void refusesNodesTheCidrsHaveNoRoomFor() {
    HollowNodeLayout small = new HollowNodeLayout("h-", "10.0.0.0/22", "172.20.0.0/16", 1, 1, REAL);

    assertThat(small.capacity()).isEqualTo(4);
    assertThat(small.podCidr(3)).isEqualTo("10.0.3.0/24");
    assertThatThrownBy(() -> small.name(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HollowNodeLayout("h-", "10.0.0.0/25", "172.20.0.0/16", 1, 1, REAL))
        .hasMessageContaining("smaller than one /24");
    assertThatThrownBy(() -> new HollowNodeLayout("h-", "10.0.0/8", "172.20.0.0/16", 1, 1, REAL))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
