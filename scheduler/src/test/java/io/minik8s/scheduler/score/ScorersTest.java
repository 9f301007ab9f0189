package io.minik8s.scheduler.score;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.ownedBy;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.scheduler.framework.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorersTest {
  @Test
  void leastRequestedScoresTheRoomLeftAfterThePod() {
    LeastRequestedScorer s = new LeastRequestedScorer();
    // 4 cpu, 8Gi; 1 cpu and 2Gi requested; the pod adds 1 cpu and 2Gi: half of each is left.
    NodeInfo half = nodeInfo(node("n", "4", "8Gi", "110"), boundTo(pod("b", "1", "2Gi"), "n"));

    assertThat(s.score(info(pod("p", "1", "2Gi")), half)).isEqualTo(50);
    assertThat(s.score(info(pod("p", "1", "2Gi")), nodeInfo(node("n", "4", "8Gi", "110")))).isEqualTo(75);
    // cpu (4-3)/4 = 25, memory (8-2)/8 = 75
    assertThat(s.score(info(pod("p", "3", "2Gi")), nodeInfo(node("n", "4", "8Gi", "110")))).isEqualTo(50);
    // over-committed cpu scores 0 on cpu
    assertThat(s.score(info(pod("p", "5", "4Gi")), nodeInfo(node("n", "4", "8Gi", "110")))).isEqualTo(25);
  }

  @Test
  void leastRequestedCountsPodsWithoutRequestsAtKubernetesDefaults() {
    LeastRequestedScorer s = new LeastRequestedScorer();
    // 100m of 1000m and 200Mi of 2000Mi: 90 each.
    NodeInfo empty = nodeInfo(node("n", "1", "2000Mi", "110"));
    NodeInfo oneBestEffortPod = nodeInfo(node("n", "1", "2000Mi", "110"), boundTo(pod("b"), "n"));

    assertThat(s.score(info(pod("p")), empty)).isEqualTo(90);
    assertThat(s.score(info(pod("p")), oneBestEffortPod)).isEqualTo(80);
  }

  @Test
  void balancedAllocationPrefersEqualFractions() {
    BalancedAllocationScorer s = new BalancedAllocationScorer();
    NodeInfo node = nodeInfo(node("n", "4", "8Gi", "110"));

    assertThat(s.score(info(pod("p", "2", "4Gi")), node)).isEqualTo(100); // 0.5 and 0.5
    assertThat(s.score(info(pod("p", "4", "0")), node)).isEqualTo(50); // 1 and 0: deviation 0.5
    assertThat(s.score(info(pod("p", "1", "4Gi")), node)).isEqualTo(87); // 0.25 and 0.5: deviation 0.125
    assertThat(s.score(info(pod("p", "8", "8Gi")), node)).isEqualTo(100); // capped at 1 and 1
  }

  @Test
  void selectorSpreadPrefersNodesWithFewerPodsOfTheSameController() {
    SelectorSpreadScorer s = new SelectorSpreadScorer();
    NodeInfo two = nodeInfo(node("a"), boundTo(ownedBy(pod("r1"), "rs-1"), "a"), boundTo(ownedBy(pod("r2"), "rs-1"), "a"));
    NodeInfo one = nodeInfo(node("b"), boundTo(ownedBy(pod("r3"), "rs-1"), "b"), boundTo(ownedBy(pod("x"), "rs-2"), "b"));
    NodeInfo none = nodeInfo(node("c"), boundTo(pod("bare"), "c"));
    var pod = info(ownedBy(pod("new"), "rs-1"));
    List<NodeInfo> nodes = List.of(two, one, none);
    long[] scores = {s.score(pod, two), s.score(pod, one), s.score(pod, none)};

    assertThat(scores).containsExactly(2, 1, 0);
    s.normalize(pod, nodes, scores);
    assertThat(scores).containsExactly(0, 50, 100);
  }

  @Test
  void selectorSpreadHasNoPreferenceForPodsWithoutController() {
    SelectorSpreadScorer s = new SelectorSpreadScorer();
    NodeInfo a = nodeInfo(node("a"), boundTo(ownedBy(pod("r1"), "rs-1"), "a"));
    var pod = info(pod("bare"));
    long[] scores = {s.score(pod, a), s.score(pod, nodeInfo(node("b")))};

    s.normalize(pod, List.of(a, nodeInfo(node("b"))), scores);
    assertThat(scores).containsExactly(100, 100);
  }
}
