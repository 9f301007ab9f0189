package io.minik8s.scheduler.cache;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.scheduler.algorithm.ScheduleResult;
import io.minik8s.scheduler.algorithm.SchedulingAlgorithm;
import io.minik8s.scheduler.algorithm.SchedulingProfile;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.Resources;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final SchedulerCache cache = new SchedulerCache(now::get, Duration.ofSeconds(30));
  private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(), new Random(1));

  private Resources requestedOn(String node) {
    return cache.snapshot().node(node).orElseThrow().requested();
  }

  @Test
  void anAssumedPodTakesItsRoomBeforeTheInformerShowsItBound() {
    cache.updateNode(node("only", "2", "4Gi", "110"));
    Pod first = pod("first", "1200m", null); // 60% of the node
    Pod second = pod("second", "1200m", null);

    ScheduleResult r1 = algorithm.schedule(info(first), cache.snapshot());
    assertThat(r1.nodeName()).isEqualTo("only");
    assertThat(cache.assume(info(first), r1.nodeName())).isTrue();

    // The bind call is in flight; the watch has not shown anything yet.
    ScheduleResult r2 = algorithm.schedule(info(second), cache.snapshot());
    assertThat(r2.isScheduled()).isFalse();
    assertThat(r2.fitError().message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");

    cache.finishBinding(first.getMetadata().getUid());
    cache.updatePod(boundTo(first, "only")); // the informer catches up
    assertThat(cache.isAssumed(first.getMetadata().getUid())).isFalse();
    assertThat(algorithm.schedule(info(second), cache.snapshot()).isScheduled()).isFalse();

    cache.deletePod(boundTo(first, "only"));
    assertThat(algorithm.schedule(info(second), cache.snapshot()).nodeName()).isEqualTo("only");
  }

  @Test
  void withoutTheAssumptionTheSecondPodWouldBeMisplaced() {
    // The control for the test above: the informer alone is too late.
    cache.updateNode(node("only", "2", "4Gi", "110"));
    Snapshot before = cache.snapshot();

    assertThat(algorithm.schedule(info(pod("first", "1200m", null)), before).isScheduled()).isTrue();
    assertThat(algorithm.schedule(info(pod("second", "1200m", null)), before).isScheduled()).isTrue();
  }

  @Test
  void assumptionsExpireOnlyAfterTheBindReturnedAndTheTtlPassed() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    cache.assume(info(p), "n");

    now.addAndGet(Duration.ofMinutes(5).toNanos()); // bind still in flight: never expires
    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);

    cache.finishBinding(p.getMetadata().getUid());
    now.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(requestedOn("n").milliCpu()).isZero();
    assertThat(cache.assumedCount()).isZero();
  }

  @Test
  void aConfirmedPodNeverExpires() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    cache.assume(info(p), "n");
    cache.updatePod(boundTo(p, "n"));
    cache.finishBinding(p.getMetadata().getUid()); // the watch was faster than the bind response

    now.addAndGet(Duration.ofHours(1).toNanos());
    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);
  }

  @Test
  void aFailedBindDropsTheAssumption() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    cache.assume(info(p), "n");

    cache.forget(p.getMetadata().getUid());

    assertThat(requestedOn("n").milliCpu()).isZero();
    assertThat(cache.assume(info(p), "n")).isTrue(); // may be assumed again on the next attempt
  }

  @Test
  void forgetDoesNotUndoWhatTheInformerConfirmed() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    cache.assume(info(p), "n");
    cache.updatePod(boundTo(p, "n"));

    cache.forget(p.getMetadata().getUid());

    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);
  }

  @Test
  void theServersWordWinsWhenThePodWasBoundElsewhere() {
    cache.updateNode(node("a"));
    cache.updateNode(node("b"));
    Pod p = pod("p", "500m", null);
    cache.assume(info(p), "a");

    boolean freed = cache.updatePod(boundTo(p, "b"));

    assertThat(freed).isTrue();
    assertThat(requestedOn("a").milliCpu()).isZero();
    assertThat(requestedOn("b").milliCpu()).isEqualTo(500);
  }

  @Test
  void aPodAlreadyCountedCannotBeAssumed() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    cache.updatePod(boundTo(p, "n"));

    assertThat(cache.assume(info(p), "n")).isFalse();
    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);
  }

  @Test
  void finishedPodsFreeTheirRoom() {
    cache.updateNode(node("n"));
    Pod p = boundTo(pod("p", "500m", null), "n");
    cache.updatePod(p);

    boolean freed = cache.updatePod(p.toBuilder().setStatus(p.getStatus().toBuilder().setPhase("Succeeded")).build());

    assertThat(freed).isTrue();
    assertThat(requestedOn("n").milliCpu()).isZero();
  }

  @Test
  void podsOfAnUnknownNodeCountOnceItAppears() {
    cache.updatePod(boundTo(pod("early", "1", null), "late"));
    assertThat(cache.snapshot().node("late")).isEmpty();

    cache.updateNode(node("late"));
    assertThat(requestedOn("late").milliCpu()).isEqualTo(1000);

    cache.removeNode("late");
    assertThat(cache.snapshot().size()).isZero();
    cache.updateNode(node("late"));
    assertThat(requestedOn("late").milliCpu()).isEqualTo(1000);
  }

  @Test
  void aSnapshotDoesNotChangeAfterwards() {
    cache.updateNode(node("n"));
    Snapshot before = cache.snapshot();

    cache.updatePod(boundTo(pod("p", "1", null), "n"));
    cache.updateNode(node("m"));

    assertThat(before.size()).isEqualTo(1);
    assertThat(before.node("n").orElseThrow().requested().milliCpu()).isZero();
    assertThat(cache.snapshot().size()).isEqualTo(2);
    assertThat(cache.snapshot()).isSameAs(cache.snapshot()); // unchanged: not rebuilt
  }

  @Test
  void snapshotsListNodesInNameOrderAsTheyComeGoAndChange() {
    cache.updateNode(node("c"));
    cache.updateNode(node("a"));
    cache.updateNode(node("b"));
    cache.updatePod(boundTo(pod("p1", "1", null), "b"));
    Snapshot first = cache.snapshot();

    cache.updatePod(boundTo(pod("p2", "1", null), "b"));
    cache.removeNode("a");
    Snapshot second = cache.snapshot();

    assertThat(first.nodes()).extracting(NodeInfo::name).containsExactly("a", "b", "c");
    assertThat(first.node("b").orElseThrow().pods()).hasSize(1);
    assertThat(second.nodes()).extracting(NodeInfo::name).containsExactly("b", "c");
    assertThat(second.node("b").orElseThrow().pods()).hasSize(2);
    assertThat(second.node("a")).isEmpty();
    assertThat(second.node("c").orElseThrow().pods()).isEmpty();
  }

  @Test
  void anAssumptionMadeAgainExpiresOnItsNewDeadlineOnly() {
    cache.updateNode(node("n"));
    Pod p = pod("p", "500m", null);
    String uid = p.getMetadata().getUid();
    cache.assume(info(p), "n");
    cache.finishBinding(uid); // deadline: 30 s
    cache.forget(uid);
    now.addAndGet(Duration.ofSeconds(20).toNanos());
    cache.assume(info(p), "n");
    cache.finishBinding(uid); // deadline: 50 s

    now.addAndGet(Duration.ofSeconds(15).toNanos()); // 35 s: past the first deadline only
    assertThat(requestedOn("n").milliCpu()).isEqualTo(500);
    assertThat(cache.isAssumed(uid)).isTrue();

    now.addAndGet(Duration.ofSeconds(15).toNanos()); // 50 s
    assertThat(requestedOn("n").milliCpu()).isZero();
    assertThat(cache.isAssumed(uid)).isFalse();
  }
}
