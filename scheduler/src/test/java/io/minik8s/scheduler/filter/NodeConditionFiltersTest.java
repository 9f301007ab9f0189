package io.minik8s.scheduler.filter;

import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.toleration;
import static io.minik8s.scheduler.TestObjects.withTolerations;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import org.junit.jupiter.api.Test;

/** NodeReady, NodeUnschedulable and NodeSelector. */
class NodeConditionFiltersTest {
  private static Node withReady(Node n, String status) {
    return n.toBuilder().setStatus(n.getStatus().toBuilder().clearConditions()
        .addConditions(NodeCondition.newBuilder().setType("MemoryPressure").setStatus("False"))
        .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus(status))).build();
  }

  @Test
  void nodeReadyNeedsReadyTrue() {
    NodeReadyFilter f = new NodeReadyFilter();

    assertThat(f.filter(info(pod("p")), nodeInfo(withReady(node("n"), "True"))).isFit()).isTrue();
    assertThat(f.filter(info(pod("p")), nodeInfo(withReady(node("n"), "False"))).reasons())
        .containsExactly("node(s) were not ready");
    assertThat(f.filter(info(pod("p")), nodeInfo(withReady(node("n"), "Unknown"))).isFit()).isFalse();
    Node noConditions = node("n").toBuilder().setStatus(node("n").getStatus().toBuilder().clearConditions()).build();
    assertThat(f.filter(info(pod("p")), nodeInfo(noConditions)).isFit()).isFalse();
  }

  @Test
  void nodeReadyLetsPodsThatTolerateNotReadyThrough() {
    NodeReadyFilter f = new NodeReadyFilter();
    var tolerant = info(withTolerations(pod("p"), toleration("node.kubernetes.io/not-ready", "Exists", "", "NoSchedule")));

    assertThat(f.filter(tolerant, nodeInfo(withReady(node("n"), "False"))).isFit()).isTrue();
    assertThat(f.filter(tolerant, nodeInfo(withReady(node("n"), "Unknown"))).isFit()).isFalse(); // unreachable
  }

  @Test
  void cordonedNodeTakesOnlyPodsToleratingUnschedulable() {
    NodeUnschedulableFilter f = new NodeUnschedulableFilter();
    Node cordoned = node("n").toBuilder().setSpec(node("n").getSpec().toBuilder().setUnschedulable(true)).build();

    assertThat(f.filter(info(pod("p")), nodeInfo(node("n"))).isFit()).isTrue();
    assertThat(f.filter(info(pod("p")), nodeInfo(cordoned)).reasons()).containsExactly("node(s) were unschedulable");
    assertThat(f.filter(info(withTolerations(pod("p"),
        toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"))), nodeInfo(cordoned)).isFit())
        .isTrue();
    assertThat(f.filter(info(withTolerations(pod("p"),
        toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoExecute"))), nodeInfo(cordoned)).isFit())
        .isFalse();
  }

  @Test
  void nodeSelectorNeedsEveryLabelWithItsValue() {
    NodeSelectorFilter f = new NodeSelectorFilter();
    Node labelled = node("n").toBuilder().setMetadata(node("n").getMetadata().toBuilder()
        .putLabels("disk", "ssd").putLabels("zone", "a")).build();
    var ssd = pod("p").toBuilder();
    ssd.getSpecBuilder().putNodeSelector("disk", "ssd");
    var ssdInB = pod("q").toBuilder();
    ssdInB.getSpecBuilder().putNodeSelector("disk", "ssd").putNodeSelector("zone", "b");
    var gpu = pod("r").toBuilder();
    gpu.getSpecBuilder().putNodeSelector("gpu", "");

    assertThat(f.filter(info(pod("x")), nodeInfo(labelled)).isFit()).isTrue();
    assertThat(f.filter(info(ssd.build()), nodeInfo(labelled)).isFit()).isTrue();
    assertThat(f.filter(info(ssdInB.build()), nodeInfo(labelled)).reasons())
        .containsExactly("node(s) didn't match Pod's node affinity/selector");
    assertThat(f.filter(info(gpu.build()), nodeInfo(labelled)).isFit()).isFalse(); // absent is not ""
  }
}
