package io.minik8s.controllermanager.nodelifecycle;

import static io.minik8s.controllermanager.nodelifecycle.NodeLifecycleController.timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Store;
import io.minik8s.client.workqueue.Result;
import io.minik8s.controllermanager.fakeapi.RecordingApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(40);
  private static final Duration EVICTION = Duration.ofSeconds(300);

  private final RecordingApi api = new RecordingApi();
  private final Store<Node> nodes = new Store<>();
  private final Store<Lease> leases = new Store<>();
  private final Store<Pod> pods = new Store<>();
  private final MutableClock clock = new MutableClock(T0);
  private final NodeLifecycleController controller;

  NodeLifecycleControllerTest() {
    pods.addIndex(NodeLifecycleController.POD_NODE_INDEX, NodeLifecycleController.podNodeIndex());
    controller = new NodeLifecycleController(api.client(), nodes, leases, pods, clock,
        new NodeLifecycleSettings(GRACE, EVICTION));
  }

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void aNodeWhoseHeartbeatMovesStaysAloneAndIsRecheckedWhenTheGracePeriodWouldEnd() throws Exception {
    nodes.put(node("n1", T0));
    leases.put(lease("n1", T0));
    assertThat(controller.reconcile("n1")).isEqualTo(Result.requeueAfter(GRACE));

    clock.advance(Duration.ofSeconds(30));
    leases.put(lease("n1", clock.instant()));
    assertThat(controller.reconcile("n1")).isEqualTo(Result.requeueAfter(GRACE));

    clock.advance(Duration.ofSeconds(30));
    assertThat(controller.reconcile("n1")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(10)));
    assertThat(api.calls()).isEmpty();
  }

  @Test
  void aSilentNodeBecomesUnknownTaintedAndItsPodsNotReady() throws Exception {
    nodes.put(node("n1", T0));
    leases.put(lease("n1", T0));
    pods.put(pod("p1", "n1"));
    pods.put(pod("elsewhere", "n2"));
    controller.reconcile("n1");

    clock.advance(GRACE.plusSeconds(1));
    Result r = controller.reconcile("n1");

    assertThat(api.calls()).containsExactly("updateStatus nodes n1", "update nodes n1", "updateStatus pods default/p1");
    Node status = (Node) api.written().get(0);
    NodeCondition ready = status.getStatus().getConditions(0);
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(ready.getMessage()).isEqualTo("Kubelet stopped posting node status.");
    assertThat(ready.getLastHeartbeatTime()).isEqualTo(timestamp(T0));
    Node tainted = (Node) api.written().get(1);
    assertThat(tainted.getSpec().getTaintsList()).extracting(Taint::getKey, Taint::getEffect).containsExactly(
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoSchedule"),
        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoExecute"));
    Pod notReady = api.lastWritten(Kinds.POD).orElseThrow();
    assertThat(notReady.getStatus().getConditions(0).getStatus()).isEqualTo("False");
    assertThat(r).isEqualTo(Result.requeueAfter(EVICTION));
  }

  @Test
  void podsAreEvictedAfterTheTimeoutOrTheirTolerationAndForcedOnceTheirGraceRunsOut() throws Exception {
    Instant taintedAt = T0.minusSeconds(1000);
    nodes.put(unreachable(node("n1", T0.minusSeconds(2000)), taintedAt));
    pods.put(notReady(pod("plain", "n1")));
    pods.put(notReady(tolerating(pod("tolerates-60s", "n1"), 60L)));
    pods.put(notReady(tolerating(pod("tolerates-forever", "n1"), null)));
    controller.reconcile("n1"); // first sight: a full grace period from now
    clock.setInstant(taintedAt.plus(GRACE).plusSeconds(61));
    // the controller has seen the node silent for longer than the grace period
    NodeLifecycleController fresh = controllerThatFirstSawAt(T0.minusSeconds(2000));

    Result r = fresh.reconcile("n1");

    assertThat(api.calls()).containsExactly("delete pods default/tolerates-60s uid=uid-tolerates-60s");
    assertThat(r).isEqualTo(Result.requeueAfter(EVICTION.minus(GRACE).minusSeconds(61)));
    api.clear();
    pods.remove("default/tolerates-60s"); // as the informer would once the pod is gone

    clock.setInstant(taintedAt.plus(EVICTION));
    fresh.reconcile("n1");
    assertThat(api.calls()).containsExactly("delete pods default/plain uid=uid-plain");
    api.clear();

    Pod plain = pods.get("default/plain").orElseThrow();
    pods.put(plain.toBuilder().setMetadata(plain.getMetadata().toBuilder()
        .setDeletionTimestamp(timestamp(clock.instant().plusSeconds(30))).setDeletionGracePeriodSeconds(30)).build());
    assertThat(fresh.reconcile("n1")).isEqualTo(Result.requeueAfter(Duration.ofSeconds(30)));
    assertThat(api.calls()).isEmpty();

    clock.advance(Duration.ofSeconds(30));
    fresh.reconcile("n1");
    assertThat(api.calls()).containsExactly("delete pods default/plain grace=0 uid=uid-plain");
  }

  @Test
  void taintsAreRemovedWhenTheHeartbeatComesBack() throws Exception {
    nodes.put(unreachable(node("n1", T0), T0));
    leases.put(lease("n1", T0));
    controller.reconcile("n1");
    assertThat(api.calls()).as("an old heartbeat first seen proves nothing").isEmpty();

    clock.advance(Duration.ofSeconds(10));
    leases.put(lease("n1", clock.instant()));
    controller.reconcile("n1");

    assertThat(api.calls()).containsExactly("update nodes n1");
    assertThat(((Node) api.written().get(0)).getSpec().getTaintsList()).isEmpty();
  }

  @Test
  void tolerationMatching() {
    Duration timeout = Duration.ofSeconds(300);
    assertThat(NodeLifecycleController.toleratedFor(pod("p", "n"), timeout)).contains(timeout);
    assertThat(NodeLifecycleController.toleratedFor(tolerating(pod("p", "n"), 5L), timeout))
        .contains(Duration.ofSeconds(5));
    assertThat(NodeLifecycleController.toleratedFor(tolerating(pod("p", "n"), null), timeout)).isEmpty();
    Pod existsAll = pod("p", "n").toBuilder().setSpec(pod("p", "n").getSpec().toBuilder()
        .addTolerations(Toleration.newBuilder().setOperator("Exists"))).build();
    assertThat(NodeLifecycleController.toleratedFor(existsAll, timeout)).isEmpty();
    Pod noScheduleOnly = pod("p", "n").toBuilder().setSpec(pod("p", "n").getSpec().toBuilder()
        .addTolerations(Toleration.newBuilder().setKey("node.kubernetes.io/unreachable").setOperator("Exists")
            .setEffect("NoSchedule"))).build();
    assertThat(NodeLifecycleController.toleratedFor(noScheduleOnly, timeout)).contains(timeout);
  }

  private NodeLifecycleController controllerThatFirstSawAt(Instant firstSeen) throws Exception {
    Instant now = clock.instant();
    clock.setInstant(firstSeen);
    NodeLifecycleController c = new NodeLifecycleController(api.client(), nodes, leases, pods, clock,
        new NodeLifecycleSettings(GRACE, EVICTION));
    c.reconcile("n1");
    clock.setInstant(now);
    api.clear();
    return c;
  }

  private static Node node(String name, Instant heartbeat) {
    return Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setUid("uid-" + name)
            .setResourceVersion("5"))
        .setSpec(NodeSpec.getDefaultInstance())
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder().setType("Ready")
            .setStatus("True").setReason("KubeletReady").setLastHeartbeatTime(timestamp(heartbeat))))
        .build();
  }

  private static Node unreachable(Node node, Instant since) {
    return node.toBuilder()
        .setSpec(NodeSpec.newBuilder()
            .addTaints(Taint.newBuilder().setKey("node.kubernetes.io/unreachable").setEffect("NoSchedule"))
            .addTaints(Taint.newBuilder().setKey("node.kubernetes.io/unreachable").setEffect("NoExecute")
                .setTimeAdded(timestamp(since))))
        .setStatus(NodeStatus.newBuilder().addConditions(node.getStatus().getConditions(0).toBuilder()
            .setStatus("Unknown").setReason("NodeStatusUnknown")))
        .build();
  }

  private static Lease lease(String node, Instant renew) {
    return Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease").setName(node))
        .setSpec(LeaseSpec.newBuilder().setHolderIdentity(node).setRenewTime(timestamp(renew))).build();
  }

  private static Pod pod(String name, String node) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid("uid-" + name))
        .setSpec(PodSpec.newBuilder().setNodeName(node)
            .addContainers(Container.newBuilder().setName("app").setImage("busybox")))
        .setStatus(PodStatus.newBuilder().setPhase("Running")
            .addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")))
        .build();
  }

  private static Pod notReady(Pod pod) {
    return pod.toBuilder().setStatus(pod.getStatus().toBuilder()
        .setConditions(0, pod.getStatus().getConditions(0).toBuilder().setStatus("False"))).build();
  }

  private static Pod tolerating(Pod pod, Long seconds) {
    Toleration.Builder t = Toleration.newBuilder().setKey("node.kubernetes.io/unreachable").setOperator("Exists")
        .setEffect("NoExecute");
    if (seconds != null) {
      t.setTolerationSeconds(seconds);
    }
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().addTolerations(t)).build();
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    void setInstant(Instant i) {
      now = i;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

}
