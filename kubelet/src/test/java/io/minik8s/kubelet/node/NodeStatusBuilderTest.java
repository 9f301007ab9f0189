package io.minik8s.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.kubelet.Timestamps;
import io.minik8s.kubelet.cri.RuntimeHealth;
import io.minik8s.kubelet.cri.RuntimeVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeStatusBuilderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final HostInfo host = new HostInfo("box", "192.168.1.10", 4, 16_000_000, "6.1.0-13-amd64",
      "Debian GNU/Linux 12 (bookworm)", "amd64", "mid", "bid", "");
  private final NodeConfig config = new NodeConfig("node-1", "10.244.1.0/24", 10250, "v0.1.0");
  private final Optional<RuntimeVersion> version = Optional.of(new RuntimeVersion("containerd", "1.6.20~ds1", "v1"));
  private final NodeStatusBuilder.RuntimeCheck ready = new NodeStatusBuilder.RuntimeCheck(
      new RuntimeHealth(true, true, ""), "");

  private static NodeCondition condition(NodeStatus s, String type) {
    return s.getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void aNewNodeDescribesTheHost() {
    Node node = NodeStatusBuilder.newNode(config, host, version, ready, T0);
    assertThat(node.getMetadata().getName()).isEqualTo("node-1");
    assertThat(node.getMetadata().getLabelsMap()).containsEntry("kubernetes.io/hostname", "node-1")
        .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64");
    assertThat(node.getSpec().getPodCidr()).isEqualTo("10.244.1.0/24");
    assertThat(node.getSpec().getPodCidrsList()).containsExactly("10.244.1.0/24");
    NodeStatus s = node.getStatus();
    assertThat(s.getCapacityMap()).containsEntry("cpu", "4").containsEntry("memory", "16000000Ki")
        .containsEntry("pods", "110");
    assertThat(s.getAllocatableMap()).isEqualTo(s.getCapacityMap());
    assertThat(s.getAddressesList()).extracting(a -> a.getType() + "=" + a.getAddress())
        .containsExactly("InternalIP=192.168.1.10", "Hostname=node-1");
    assertThat(s.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("containerd://1.6.20~ds1");
    assertThat(s.getNodeInfo().getKubeletVersion()).isEqualTo("v0.1.0");
    assertThat(s.getNodeInfo().getOsImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
    assertThat(s.getNodeInfo().getArchitecture()).isEqualTo("amd64");
    assertThat(s.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("KubeletReady");
    assertThat(condition(s, "MemoryPressure").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getLastHeartbeatTime()).isEqualTo(Timestamps.seconds(T0));
  }

  @Test
  void readyFollowsTheRuntimeAndTransitionTimesCarryOver() {
    NodeStatus first = NodeStatusBuilder.status(config, host, version, ready, List.of(), T0);
    NodeStatus same = NodeStatusBuilder.status(config, host, version, ready, first.getConditionsList(),
        T0.plusSeconds(10));
    assertThat(condition(same, "Ready").getLastTransitionTime()).isEqualTo(Timestamps.seconds(T0));
    assertThat(condition(same, "Ready").getLastHeartbeatTime()).isEqualTo(Timestamps.seconds(T0.plusSeconds(10)));

    NodeStatus noNetwork = NodeStatusBuilder.status(config, host, version, new NodeStatusBuilder.RuntimeCheck(
        new RuntimeHealth(true, false, "NetworkReady=false: cni config uninitialized"), ""),
        same.getConditionsList(), T0.plusSeconds(20));
    assertThat(condition(noNetwork, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(noNetwork, "Ready").getReason()).isEqualTo("KubeletNotReady");
    assertThat(condition(noNetwork, "Ready").getMessage()).contains("cni config uninitialized");
    assertThat(condition(noNetwork, "Ready").getLastTransitionTime()).isEqualTo(Timestamps.seconds(T0.plusSeconds(20)));

    NodeStatus down = NodeStatusBuilder.status(config, host, version,
        NodeStatusBuilder.RuntimeCheck.failed("connection refused"), noNetwork.getConditionsList(), T0.plusSeconds(30));
    assertThat(condition(down, "Ready").getMessage()).isEqualTo("container runtime is down: connection refused");
  }

  @Test
  void adoptingAnExistingNodeAddsOurLabelsAndAMissingPodCidrOnly() {
    Node existing = Node.newBuilder().setMetadata(io.minik8s.api.ObjectMeta.newBuilder().setName("node-1")
        .putLabels("team", "a").putLabels("kubernetes.io/os", "windows")).build();
    Node adopted = NodeStatusBuilder.adopt(existing, config, host);
    assertThat(adopted.getMetadata().getLabelsMap()).containsEntry("team", "a").containsEntry("kubernetes.io/os", "linux");
    assertThat(adopted.getSpec().getPodCidr()).isEqualTo("10.244.1.0/24");

    Node withCidr = adopted.toBuilder().setSpec(adopted.getSpec().toBuilder().setPodCidr("10.9.0.0/24")).build();
    assertThat(NodeStatusBuilder.adopt(withCidr, config, host)).isEqualTo(withCidr);
  }

  @Test
  void hostParsing() {
    assertThat(HostInfo.countCpuList("0-3,6,8-9")).isEqualTo(7);
    assertThat(HostInfo.countCpuList("0\n")).isEqualTo(1);
    assertThat(HostInfo.parseMemTotalKi("MemTotal:       24589412 kB")).isEqualTo(24589412);
    assertThat(HostInfo.architecture("x86_64")).isEqualTo("amd64");
    assertThat(HostInfo.architecture("aarch64")).isEqualTo("arm64");
    HostInfo detected = HostInfo.detect("");
    assertThat(detected.cpuCores()).isPositive();
    assertThat(detected.memoryKi()).isPositive();
    assertThat(detected.nodeIp()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(HostInfo.detect("10.1.2.3").nodeIp()).isEqualTo("10.1.2.3");
  }
}
