package io.minik8s.scheduler.algorithm;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.taint;
import static io.minik8s.scheduler.TestObjects.withTaints;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Node;
import io.minik8s.scheduler.cache.Snapshot;
import io.minik8s.scheduler.framework.NodeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {
  private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(), new Random(42));

  @Test
  void fitErrorMessageCountsReasonsInKubernetesForm() {
    Node cp1 = withTaints(node("cp1"), taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"));
    Node cp2 = withTaints(node("cp2"), taint("node-role.kubernetes.io/control-plane", "", "NoSchedule"));
    Snapshot snapshot = Snapshot.of(List.of(nodeInfo(node("w1", "2", "4Gi", "110")), nodeInfo(cp1), nodeInfo(cp2)));

    ScheduleResult r = algorithm.schedule(info(pod("big", "3", null)), snapshot);

    assertThat(r.isScheduled()).isFalse();
    assertThat(r.fitError().message()).isEqualTo("0/3 nodes are available: 1 Insufficient cpu, "
        + "2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.");
  }

  @Test
  void everyReasonOfARejectingFilterCountsAndOnlyTheFirstRejectingFilterSpeaks() {
    Node tainted = withTaints(node("t", "1", "1Gi", "110"), taint("a", "b", "NoSchedule"));
    Snapshot snapshot = Snapshot.of(List.of(nodeInfo(node("n1", "1", "1Gi", "110")),
        nodeInfo(node("n2", "1", "1Gi", "110")), nodeInfo(tainted)));

    ScheduleResult r = algorithm.schedule(info(pod("p", "2", "2Gi")), snapshot);

    assertThat(r.fitError().reasonCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "Insufficient cpu", 2, "Insufficient memory", 2, "node(s) had untolerated taint {a: b}", 1));
    assertThat(r.fitError().message()).isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, "
        + "2 Insufficient cpu, 2 Insufficient memory.");
  }

  @Test
  void reasonsAreSortedAsStringsLikeKubernetes() {
    FitError e = FitError.of(12, Map.of("Insufficient cpu", 10, "node(s) were unschedulable", 2));

    assertThat(e.message()).isEqualTo("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) were unschedulable.");
  }

  @Test
  void noNodesAtAll() {
    ScheduleResult r = algorithm.schedule(info(pod("p")), Snapshot.empty());

    assertThat(r.fitError().message()).isEqualTo("no nodes available to schedule pods");
  }

  @Test
  void picksTheHighestTotalScore() {
    NodeInfo busy = nodeInfo(node("busy", "4", "8Gi", "110"), boundTo(pod("b", "3", "6Gi"), "busy"));
    NodeInfo idle = nodeInfo(node("idle", "4", "8Gi", "110"));

    for (int i = 0; i < 20; i++) {
      ScheduleResult r = algorithm.schedule(info(pod("p" + i, "500m", "1Gi")), Snapshot.of(List.of(busy, idle)));
      assertThat(r.nodeName()).isEqualTo("idle");
      assertThat(r.feasibleNodes()).isEqualTo(2);
    }
  }

  @Test
  void onlyFeasibleNodesAreConsidered() {
    NodeInfo small = nodeInfo(node("small", "1", "8Gi", "110"));
    NodeInfo busyButBig = nodeInfo(node("big", "8", "8Gi", "110"), boundTo(pod("b", "6", "6Gi"), "big"));

    ScheduleResult r = algorithm.schedule(info(pod("p", "1500m", null)), Snapshot.of(List.of(small, busyButBig)));

    assertThat(r.nodeName()).isEqualTo("big");
    assertThat(r.feasibleNodes()).isEqualTo(1);
  }

  @Test
  void equalNodesShareThePodsAtRandom() {
    Snapshot snapshot = Snapshot.of(List.of(nodeInfo(node("a")), nodeInfo(node("b")), nodeInfo(node("c"))));
    Map<String, Integer> picks = new HashMap<>();

    for (int i = 0; i < 300; i++) {
      picks.merge(algorithm.schedule(info(pod("p" + i)), snapshot).nodeName(), 1, Integer::sum);
    }

    assertThat(picks).containsOnlyKeys("a", "b", "c");
    assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
  }

  @Test
  void bigClustersAreSearchedForOnlyAShareOfFeasibleNodesAsInKubernetes() {
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(50, 0)).isEqualTo(50);
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(150, 0)).isEqualTo(100); // 49% = 73, but at least 100
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(1000, 0)).isEqualTo(420); // 50 - 1000/125 = 42%
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(5000, 0)).isEqualTo(500); // 10%
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(20000, 0)).isEqualTo(1000); // the 5% floor
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(1000, 100)).isEqualTo(1000);
    assertThat(SchedulingAlgorithm.feasibleNodesToFind(1000, 20)).isEqualTo(200);
  }

  @Test
  void eachSearchStartsWhereTheLastStoppedSoEveryNodeGetsItsTurn() {
    List<NodeInfo> infos = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      infos.add(nodeInfo(node(String.format("n%03d", i))));
    }
    Snapshot snapshot = Snapshot.of(infos); // 300 nodes: 48% → 144 feasible nodes end a search

    ScheduleResult first = algorithm.schedule(info(pod("a")), snapshot);
    ScheduleResult second = algorithm.schedule(info(pod("b")), snapshot);
    ScheduleResult third = algorithm.schedule(info(pod("c")), snapshot);

    assertThat(first.feasibleNodes()).isEqualTo(144);
    assertThat(index(first)).isBetween(0, 143);
    assertThat(index(second)).isBetween(144, 287);
    assertThat(index(third)).satisfiesAnyOf(i -> assertThat(i).isBetween(288, 299), i -> assertThat(i).isBetween(0, 131));
  }

  @Test
  void aPodThatFitsOneNodeFindsItAndOneThatFitsNoneCountsEveryNode() {
    List<NodeInfo> infos = new java.util.ArrayList<>();
    for (int i = 0; i < 299; i++) {
      infos.add(nodeInfo(node(String.format("n%03d", i), "1", "4Gi", "110")));
    }
    infos.add(nodeInfo(node("n299", "8", "4Gi", "110")));
    Snapshot snapshot = Snapshot.of(infos);

    assertThat(algorithm.schedule(info(pod("big", "4", null)), snapshot).nodeName()).isEqualTo("n299");
    ScheduleResult none = algorithm.schedule(info(pod("huge", "16", null)), snapshot);
    assertThat(none.fitError().message()).isEqualTo("0/300 nodes are available: 300 Insufficient cpu.");
  }

  private static int index(ScheduleResult r) {
    return Integer.parseInt(r.nodeName().substring(1));
  }
}
