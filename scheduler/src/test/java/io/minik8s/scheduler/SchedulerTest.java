package io.minik8s.scheduler;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Store;
import io.minik8s.scheduler.algorithm.FitError;
import io.minik8s.scheduler.algorithm.SchedulingAlgorithm;
import io.minik8s.scheduler.algorithm.SchedulingProfile;
import io.minik8s.scheduler.binder.Binder;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.queue.SchedulingQueue;
import io.minik8s.scheduler.report.SchedulingReporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One scheduling cycle end to end in memory: real queue, cache, algorithm and informer store, with the
 * event handlers feeding them as the informers would; only the API calls are recorded instead of made.
 */
class SchedulerTest {
  private final AtomicLong now = new AtomicLong(1);
  private final SchedulingQueue queue = new SchedulingQueue(now::get, Duration.ofSeconds(1), Duration.ofSeconds(10));
  private final SchedulerCache cache = new SchedulerCache(now::get, Duration.ofSeconds(30));
  private final Store<Pod> pods = new Store<>();
  private final PodEventHandler podEvents = new PodEventHandler("default-scheduler", queue, cache);
  private final NodeEventHandler nodeEvents = new NodeEventHandler(queue, cache);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RecordingBinder binder = new RecordingBinder();
  private final RecordingReporter reporter = new RecordingReporter();
  private final Scheduler scheduler = new Scheduler("default-scheduler", queue, cache,
      new SchedulingAlgorithm(SchedulingProfile.defaults(), new Random(7)), pods, binder, Runnable::run, reporter,
      new SchedulerMetrics(meters, queue), now::get, Clock.systemUTC());

  private static final class RecordingBinder implements Binder {
    final List<String> bindings = new ArrayList<>();
    RuntimeException failWith;

    @Override
    public void bind(Pod pod, String nodeName) {
      if (failWith != null) {
        throw failWith;
      }
      bindings.add(pod.getMetadata().getName() + "->" + nodeName);
    }
  }

  private static final class RecordingReporter implements SchedulingReporter {
    final List<String> reports = new ArrayList<>();

    @Override
    public void scheduled(Pod pod, String nodeName, Instant decidedAt) {
      reports.add("Scheduled " + pod.getMetadata().getName() + " " + nodeName);
    }

    @Override
    public void unschedulable(Pod pod, FitError error) {
      reports.add("FailedScheduling " + pod.getMetadata().getName() + " " + error.message());
    }
  }

  private void podCreated(Pod p) {
    pods.put(p);
    podEvents.onAdd(p);
  }

  private void runOneCycle() {
    scheduler.scheduleOne(queue.poll().orElseThrow(() -> new AssertionError("no active pod")));
  }

  private double attempts(String result) {
    return meters.get("scheduler.schedule.attempts").tag("result", result).counter().count();
  }

  @Test
  void bindsAPendingPodAndCountsItAtOnce() {
    nodeEvents.onAdd(node("n1", "2", "4Gi", "110"));
    podCreated(pod("web", "1500m", null));

    now.addAndGet(Duration.ofMillis(20).toNanos());
    runOneCycle();

    assertThat(binder.bindings).containsExactly("web->n1");
    assertThat(reporter.reports).containsExactly("Scheduled web n1");
    assertThat(queue.size()).isZero();
    assertThat(cache.snapshot().node("n1").orElseThrow().requested().milliCpu()).isEqualTo(1500);
    assertThat(attempts("scheduled")).isEqualTo(1);
    assertThat(meters.get("scheduler.e2e.scheduling.duration").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(20);
  }

  @Test
  void anUnschedulablePodIsReportedAndBacksOffUntilANodeFits() {
    nodeEvents.onAdd(node("n1", "2", "4Gi", "110"));
    podCreated(pod("big", "3", null));

    runOneCycle();

    assertThat(binder.bindings).isEmpty();
    assertThat(reporter.reports).containsExactly("FailedScheduling big 0/1 nodes are available: 1 Insufficient cpu.");
    assertThat(queue.backoffCount()).isEqualTo(1);
    assertThat(attempts("unschedulable")).isEqualTo(1);

    nodeEvents.onAdd(node("n2", "4", "4Gi", "110")); // retried early
    runOneCycle();
    assertThat(binder.bindings).containsExactly("big->n2");
  }

  @Test
  void aConflictingBindDropsThePod() {
    nodeEvents.onAdd(node("n1"));
    podCreated(pod("p"));
    binder.failWith = ApiException.conflict(Kinds.POD, "p", "pod p is already assigned to node \"n9\"");

    runOneCycle();

    assertThat(queue.size()).isZero();
    assertThat(cache.isAssumed("uid-p")).isFalse();
    assertThat(cache.snapshot().node("n1").orElseThrow().pods()).isEmpty();
    assertThat(attempts("error")).isEqualTo(1);
  }

  @Test
  void anyOtherBindErrorRetriesWithBackoff() {
    nodeEvents.onAdd(node("n1"));
    podCreated(pod("p"));
    binder.failWith = ApiException.unavailable("API server unavailable", null);

    runOneCycle();

    assertThat(cache.snapshot().node("n1").orElseThrow().pods()).isEmpty();
    assertThat(queue.backoffCount()).isEqualTo(1);
    binder.failWith = null;
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    runOneCycle();
    assertThat(binder.bindings).containsExactly("p->n1");
  }

  @Test
  void aPodThatWentAwayBeforeItsTurnIsDropped() {
    nodeEvents.onAdd(node("n1"));
    Pod p = pod("p");
    podCreated(p);
    pods.remove("default/p"); // the store already shows the delete; the handler call is still to come

    runOneCycle();

    assertThat(binder.bindings).isEmpty();
    assertThat(queue.size()).isZero();
  }

  @Test
  void podsForOtherSchedulersAndBoundPodsAreNotQueued() {
    Pod other = pod("other");
    other = other.toBuilder().setSpec(other.getSpec().toBuilder().setSchedulerName("my-scheduler")).build();
    podCreated(other);
    podCreated(boundTo(pod("bound", "1", null), "n1"));
    nodeEvents.onAdd(node("n1"));

    assertThat(queue.size()).isZero();
    assertThat(cache.snapshot().node("n1").orElseThrow().requested().milliCpu()).isEqualTo(1000);
  }

  @Test
  void deletingABoundPodRetriesWaitingPods() {
    nodeEvents.onAdd(node("n1", "2", "4Gi", "110"));
    Pod hog = boundTo(pod("hog", "2", null), "n1");
    podCreated(hog);
    podCreated(pod("waiting", "1", null));
    runOneCycle();
    assertThat(queue.backoffCount()).isEqualTo(1);

    pods.remove("default/hog");
    podEvents.onDelete(hog);

    runOneCycle();
    assertThat(binder.bindings).containsExactly("waiting->n1");
  }

  @Test
  void heartbeatsDoNotRetryWaitingPods() {
    var n1 = node("n1", "1", "4Gi", "110");
    nodeEvents.onAdd(n1);
    podCreated(pod("big", "2", null));
    runOneCycle();

    var heartbeat = n1.toBuilder().setStatus(n1.getStatus().toBuilder().setConditions(0,
        n1.getStatus().getConditions(0).toBuilder().setLastHeartbeatTime(
            com.google.protobuf.Timestamp.newBuilder().setSeconds(99)))).build();
    nodeEvents.onUpdate(n1, heartbeat);
    assertThat(queue.poll()).isEmpty();

    var bigger = heartbeat.toBuilder().setStatus(heartbeat.getStatus().toBuilder().putAllocatable("cpu", "2")).build();
    nodeEvents.onUpdate(heartbeat, bigger);
    assertThat(queue.activeCount()).isEqualTo(1);
  }
}
