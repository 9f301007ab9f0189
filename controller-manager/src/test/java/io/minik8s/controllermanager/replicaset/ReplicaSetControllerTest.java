package io.minik8s.controllermanager.replicaset;

import static io.minik8s.controllermanager.testing.Fixtures.NS;
import static io.minik8s.controllermanager.testing.Fixtures.pod;
import static io.minik8s.controllermanager.testing.Fixtures.replicaSet;
import static io.minik8s.controllermanager.testing.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.informer.Store;
import io.minik8s.client.workqueue.Result;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.controllermanager.ownership.ControllerRefs;
import io.minik8s.controllermanager.ownership.Expectations;
import io.minik8s.controllermanager.testing.RecordingApiServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seeds the informer stores, calls reconcile and compares the API calls made (sample-controller style). */
class ReplicaSetControllerTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final Map<String, String> APP = Map.of("app", "web");

  private final RecordingApiServer api = new RecordingApiServer();
  private final Store<ReplicaSet> replicaSets = new Store<>();
  private final Store<Pod> pods = new Store<>();
  private final MutableClock clock = new MutableClock(NOW);
  private final ReplicaSetController controller = new ReplicaSetController(api.client(), replicaSets, pods,
      new EventRecorder(api.client(), "replicaset-controller", "test", clock), clock, new Expectations(clock));
  private final WorkQueue<String> queue = WorkQueue.create("test");
  private final ResourceEventHandler<Pod> podHandler = controller.podEventHandler(queue);

  @AfterEach
  void close() {
    queue.shutDown();
    api.close();
  }

  private ReplicaSet seed(ReplicaSet rs) {
    replicaSets.put(rs);
    api.seed(rs);
    return rs;
  }

  private Pod seed(Pod p) {
    pods.put(p);
    api.seed(p);
    return p;
  }

  private static OwnerReference ref(ReplicaSet rs) {
    return ControllerRefs.to(Kinds.REPLICA_SET, rs);
  }

  @Test
  void createsMissingPodsFromTheTemplateWithAControllerReference() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 3, APP));

    controller.reconcile("default/web");

    assertThat(api.takeWrites()).containsExactly("create pods default/web-00001", "create pods default/web-00002",
        "create pods default/web-00003", "status replicasets default/web");
    Pod created = (Pod) api.written(Kinds.POD).get(0);
    assertThat(created.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(created.getMetadata().getLabelsMap()).isEqualTo(APP);
    OwnerReference owner = created.getMetadata().getOwnerReferences(0);
    assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
    assertThat(owner.getKind()).isEqualTo("ReplicaSet");
    assertThat(owner.getUid()).isEqualTo(rs.getMetadata().getUid());
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isTrue();
    assertThat(created.getSpec()).isEqualTo(rs.getSpec().getTemplate().getSpec());
    assertThat(api.eventReasons()).containsOnly("SuccessfulCreate");
  }

  @Test
  void aLaggingCacheNeverMakesItCreateTwice() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 2, APP));
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).filteredOn(w -> w.startsWith("create")).hasSize(2);

    // The informer has not shown the pods yet: the next reconciles must not create again.
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("create"));

    // It shows one of the two: still waiting for the other.
    Pod first = seed(pod("web-00001", APP, ref(rs), NOW));
    podHandler.onAdd(first);
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("create"));

    // It shows both: in sync, nothing more to create.
    Pod second = seed(pod("web-00002", APP, ref(rs), NOW));
    podHandler.onAdd(second);
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("create") || w.startsWith("delete"));
  }

  @Test
  void expectationsExpireAfterFiveMinutes() throws Exception {
    seed(replicaSet("web", 1, APP));
    controller.reconcile("default/web");
    api.takeWrites();
    clock.advance(Expectations.TIMEOUT.minusSeconds(1));
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("create"));
    clock.advance(Duration.ofSeconds(1));
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).contains("create pods default/web-00002");
  }

  @Test
  void aFailedCreationLowersTheExpectationsSoTheNextReconcileRetries() throws Exception {
    seed(replicaSet("web", 2, APP));
    api.failNext("create pods", ApiException.conflict(Kinds.POD, "x", "quota"));
    assertThatThrownBy(() -> controller.reconcile("default/web")).isInstanceOf(ApiException.class);
    assertThat(api.takeWrites()).containsExactly("create pods default/web-00001");

    controller.reconcile("default/web");
    assertThat(api.takeWrites()).filteredOn(w -> w.startsWith("create")).hasSize(2);
    assertThat(api.eventReasons()).contains("FailedCreate");
  }

  @Test
  void scaleDownDeletesUnscheduledThenNotReadyThenNewestReadyFirst() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 1, APP));
    seed(running(pod("old-ready", APP, ref(rs), NOW.minusSeconds(500)), "n1", NOW.minusSeconds(400)));
    seed(running(pod("new-ready", APP, ref(rs), NOW.minusSeconds(300)), "n1", NOW.minusSeconds(200)));
    seed(running(pod("not-ready", APP, ref(rs), NOW.minusSeconds(900)), "n1", null));
    seed(pod("unscheduled", APP, ref(rs), NOW.minusSeconds(1000)));

    controller.reconcile("default/web");

    assertThat(api.takeWrites()).containsExactly("delete pods default/unscheduled", "delete pods default/not-ready",
        "delete pods default/new-ready", "status replicasets default/web");
    assertThat(api.eventReasons()).containsOnly("SuccessfulDelete");

    // Until the informer shows the deletions, no more deletes (nor creates, though the cache shows 4).
    pods.remove("default/unscheduled");
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("delete") || w.startsWith("create"));
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatNoLongerMatch() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 2, APP));
    seed(pod("orphan", APP, null, NOW));
    seed(pod("relabelled", Map.of("app", "other"), ref(rs), NOW));
    seed(pod("someone-elses", APP, ControllerRefs.to(Kinds.REPLICA_SET, replicaSet("other", 1, APP)), NOW));
    seed(pod("mine", APP, ref(rs), NOW));

    controller.reconcile("default/web");

    assertThat(api.takeWrites()).containsExactlyInAnyOrder("update pods default/orphan",
        "update pods default/relabelled", "status replicasets default/web");
    Pod adopted = api.stored(Kinds.POD, NS, "orphan").orElseThrow();
    assertThat(ControllerRefs.isControlledBy(adopted.getMetadata(), "uid-web")).isTrue();
    Pod released = api.stored(Kinds.POD, NS, "relabelled").orElseThrow();
    assertThat(released.getMetadata().getOwnerReferencesList()).isEmpty();
  }

  @Test
  void finishedAndTerminatingPodsAreReplaced() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 2, APP));
    Pod failed = pod("failed", APP, ref(rs), NOW);
    seed(failed.toBuilder().setStatus(failed.getStatus().toBuilder().setPhase("Failed")).build());
    Pod leaving = pod("leaving", APP, ref(rs), NOW);
    seed(leaving.toBuilder().setMetadata(leaving.getMetadata().toBuilder()
        .setDeletionTimestamp(io.minik8s.controllermanager.testing.Fixtures.ts(NOW))).build());

    controller.reconcile("default/web");

    assertThat(api.takeWrites()).filteredOn(w -> w.startsWith("create")).hasSize(2);
  }

  @Test
  void statusCountsReadyAndAvailableAfterMinReadySecondsAndIsWrittenOnlyWhenChanged() throws Exception {
    ReplicaSet rs = replicaSet("web", 3, APP);
    rs = seed(rs.toBuilder().setSpec(rs.getSpec().toBuilder().setMinReadySeconds(30)).build());
    seed(running(pod("a", APP, ref(rs), NOW), "n1", NOW.minusSeconds(60)));
    seed(running(pod("b", APP, ref(rs), NOW), "n1", NOW.minusSeconds(10)));
    seed(running(pod("c", Map.of("app", "web", "extra", "x"), ref(rs), NOW), "n1", null));

    Result result = controller.reconcile("default/web");

    assertThat(api.takeWrites()).containsExactly("status replicasets default/web");
    ReplicaSet written = (ReplicaSet) api.written(Kinds.REPLICA_SET).get(0);
    assertThat(written.getStatus().getReplicas()).isEqualTo(3);
    assertThat(written.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(written.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(written.getStatus().getAvailableReplicas()).isEqualTo(1);
    assertThat(written.getStatus().getObservedGeneration()).isEqualTo(1);
    assertThat(result).isEqualTo(Result.requeueAfter(Duration.ofSeconds(30)));

    replicaSets.put(written);
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).isEmpty();
  }

  @Test
  void aDeletedReplicaSetIsForgotten() throws Exception {
    assertThat(controller.reconcile("default/gone")).isEqualTo(Result.done());
    assertThat(api.takeWrites()).isEmpty();
  }

  @Test
  void podEventsEnqueueTheirOwnerOrTheMatchingReplicaSets() throws Exception {
    ReplicaSet rs = seed(replicaSet("web", 1, APP));
    seed(replicaSet("other", 1, Map.of("app", "other")));
    podHandler.onAdd(pod("orphan", APP, null, NOW));
    assertThat(drain()).containsExactly("default/web");
    podHandler.onDelete(pod("owned", Map.of(), ref(rs), NOW));
    assertThat(drain()).containsExactly("default/web");
  }

  private List<String> drain() throws InterruptedException {
    java.util.ArrayList<String> keys = new java.util.ArrayList<>();
    while (queue.len() > 0) {
      String k = queue.take();
      keys.add(k);
      queue.done(k);
    }
    return keys;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
