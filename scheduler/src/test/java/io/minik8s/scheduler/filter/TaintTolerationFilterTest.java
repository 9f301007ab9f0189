package io.minik8s.scheduler.filter;

import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.pod;
import static io.minik8s.scheduler.TestObjects.taint;
import static io.minik8s.scheduler.TestObjects.toleration;
import static io.minik8s.scheduler.TestObjects.withTaints;
import static io.minik8s.scheduler.TestObjects.withTolerations;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.scheduler.framework.FilterResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationFilterTest {
  private final TaintTolerationFilter filter = new TaintTolerationFilter();

  static Stream<Arguments> matrix() {
    Taint gpu = taint("dedicated", "gpu", "NoSchedule");
    Taint gpuExecute = taint("dedicated", "gpu", "NoExecute");
    Taint noValue = taint("node-role.kubernetes.io/control-plane", "", "NoSchedule");
    return Stream.of(
        // taint, toleration, tolerated?
        Arguments.of(gpu, toleration("dedicated", "Equal", "gpu", "NoSchedule"), true),
        Arguments.of(gpu, toleration("dedicated", "", "gpu", "NoSchedule"), true), // empty operator = Equal
        Arguments.of(gpu, toleration("dedicated", "Equal", "cpu", "NoSchedule"), false), // other value
        Arguments.of(gpu, toleration("dedicated", "Equal", "", "NoSchedule"), false),
        Arguments.of(gpu, toleration("dedicated", "Exists", "", "NoSchedule"), true),
        Arguments.of(gpu, toleration("dedicated", "Exists", "", ""), true), // empty effect = every effect
        Arguments.of(gpu, toleration("dedicated", "Exists", "", "NoExecute"), false), // other effect
        Arguments.of(gpu, toleration("other", "Exists", "", ""), false), // other key
        Arguments.of(gpu, toleration("", "Exists", "", ""), true), // empty key with Exists: everything
        Arguments.of(gpu, toleration("", "Exists", "", "NoExecute"), false), // ... but only of its effect
        Arguments.of(gpu, toleration("dedicated", "Lt", "gpu", "NoSchedule"), false), // unknown operator
        Arguments.of(gpuExecute, toleration("dedicated", "Equal", "gpu", "NoExecute"), true),
        Arguments.of(gpuExecute, toleration("dedicated", "Equal", "gpu", "NoSchedule"), false),
        Arguments.of(noValue, toleration("node-role.kubernetes.io/control-plane", "Exists", "", "NoSchedule"), true),
        Arguments.of(noValue, toleration("node-role.kubernetes.io/control-plane", "Equal", "", "NoSchedule"), true));
  }

  @ParameterizedTest(name = "{0} tolerated by {1}: {2}")
  @MethodSource("matrix")
  void followsKubernetesMatchingRules(Taint taint, Toleration toleration, boolean tolerated) {
    FilterResult r = filter.filter(info(withTolerations(pod("p"), toleration)), nodeInfo(withTaints(node("n1"), taint)));

    assertThat(r.isFit()).isEqualTo(tolerated);
    assertThat(TolerationMatcher.tolerates(toleration, taint)).isEqualTo(tolerated);
  }

  @Test
  void preferNoScheduleDoesNotFilter() {
    FilterResult r = filter.filter(info(pod("p")), nodeInfo(withTaints(node("n1"), taint("soft", "x", "PreferNoSchedule"))));

    assertThat(r.isFit()).isTrue();
  }

  @Test
  void reasonNamesTheFirstUntoleratedTaintInKubernetesForm() {
    var node = nodeInfo(withTaints(node("n1"), taint("a", "1", "NoSchedule"),
        taint("node-role.kubernetes.io/control-plane", "", "NoSchedule")));
    var pod = info(withTolerations(pod("p"), toleration("a", "Equal", "1", "NoSchedule")));

    assertThat(filter.filter(pod, node).reasons())
        .containsExactly("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }");
  }

  @Test
  void everyTaintMustBeTolerated() {
    var node = nodeInfo(withTaints(node("n1"), taint("a", "1", "NoSchedule"), taint("b", "2", "NoExecute")));

    assertThat(filter.filter(info(withTolerations(pod("p"), toleration("a", "Exists", "", ""))), node).reasons())
        .containsExactly("node(s) had untolerated taint {b: 2}");
    assertThat(filter.filter(info(withTolerations(pod("p"), toleration("a", "Exists", "", ""),
        toleration("b", "Equal", "2", "NoExecute"))), node).isFit()).isTrue();
  }

  @Test
  void untaintedNodeFitsAnyPod() {
    assertThat(filter.filter(info(pod("p")), nodeInfo(node("n1"))).isFit()).isTrue();
  }
}
