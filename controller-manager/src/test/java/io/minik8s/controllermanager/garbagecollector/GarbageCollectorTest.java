package io.minik8s.controllermanager.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Lease;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.Store;
import io.minik8s.controllermanager.fakeapi.RecordingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
  private final RecordingApi api = new RecordingApi();
  private final Map<Kind<?>, Store<?>> stores = new LinkedHashMap<>();
  private final GarbageCollector gc;

  GarbageCollectorTest() {
    Map<Kind<?>, Lister<? extends Message>> listers = new LinkedHashMap<>();
    for (Kind<?> kind : Kinds.all()) {
      Store<?> store = store();
      stores.put(kind, store);
      listers.put(kind, store);
    }
    gc = new GarbageCollector(api.client(), listers);
  }

  private static <T extends Message> Store<T> store() {
    Store<T> s = new Store<>();
    s.addIndex(OwnerIndex.NAME, OwnerIndex.function());
    return s;
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> void cache(T object) {
    ((Store<T>) stores.get(Kinds.of(object))).put(object);
  }

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void aDependentWithItsOwnerPresentIsLeftAlone() throws Exception {
    ReplicaSet rs = replicaSet("web", "uid-rs");
    cache(rs);
    cache(pod("web-1", ref(rs)));

    gc.reconcile("pods/default/web-1");

    assertThat(api.calls()).isEmpty();
  }

  @Test
  void aDependentWhoseOwnerIsGoneIsDeletedInTheBackgroundWithItsUidAsPrecondition() throws Exception {
    cache(pod("web-1", ref(replicaSet("web", "uid-rs"))));

    gc.reconcile("pods/default/web-1");

    assertThat(api.calls()).containsExactly("delete pods default/web-1 propagation=Background uid=uid-web-1");
  }

  @Test
  void aSameNameOwnerWithAnotherUidIsAnotherOwner() throws Exception {
    ReplicaSet recreated = replicaSet("web", "uid-new");
    cache(recreated);
    api.seed(recreated);
    cache(pod("web-1", ref(replicaSet("web", "uid-old"))));

    gc.reconcile("pods/default/web-1");

    assertThat(api.calls()).containsExactly("delete pods default/web-1 propagation=Background uid=uid-web-1");
  }

  @Test
  void anOwnerMissingFromTheCacheButPresentOnTheServerKeepsItsDependents() throws Exception {
    ReplicaSet rs = replicaSet("web", "uid-rs");
    api.seed(rs);
    cache(pod("web-1", ref(rs)));

    gc.reconcile("pods/default/web-1");

    assertThat(api.calls()).isEmpty();
  }

  @Test
  void referencesToGoneOwnersAreDroppedWhenAnotherOwnerRemains() throws Exception {
    ReplicaSet alive = replicaSet("alive", "uid-alive");
    cache(alive);
    cache(pod("shared", ref(alive), ref(replicaSet("gone", "uid-gone"))));

    gc.reconcile("pods/default/shared");

    assertThat(api.calls()).containsExactly("update pods default/shared");
    assertThat(api.lastWritten(Kinds.POD).orElseThrow().getMetadata().getOwnerReferencesList())
        .containsExactly(ref(alive));
  }

  @Test
  void clusterScopedOwnersAreLookedUpWithoutNamespace() throws Exception {
    Node node = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1").setUid("uid-n1")).build();
    cache(node);
    Lease lease = Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("kube-node-lease")
        .setName("n1").setUid("uid-lease").addOwnerReferences(OwnerReference.newBuilder().setApiVersion("v1")
            .setKind("Node").setName("n1").setUid("uid-n1"))).build();
    cache(lease);

    gc.reconcile("leases/kube-node-lease/n1");
    assertThat(api.calls()).isEmpty();

    stores.get(Kinds.NODE).remove("n1");
    gc.reconcile("leases/kube-node-lease/n1");
    assertThat(api.calls()).containsExactly("delete leases kube-node-lease/n1 propagation=Background uid=uid-lease");
  }

  @Test
  void anOwnerDeletedWithOrphanLosesItsDependentsReferencesThenTheFinalizer() throws Exception {
    ReplicaSet rs = replicaSet("web", "uid-rs");
    rs = rs.toBuilder().setMetadata(rs.getMetadata().toBuilder().addFinalizers("orphan").addFinalizers("other")
        .setDeletionTimestamp(Timestamp.newBuilder().setSeconds(1))).build();
    cache(rs);
    cache(pod("web-1", ref(rs)));
    cache(pod("web-2", ref(rs)));
    cache(pod("unrelated", ref(replicaSet("x", "uid-x"))));

    gc.reconcile("replicasets/default/web");

    assertThat(api.calls()).containsExactlyInAnyOrder("update pods default/web-1", "update pods default/web-2",
        "update replicasets default/web");
    assertThat(api.calls().get(2)).isEqualTo("update replicasets default/web");
    assertThat(api.written()).filteredOn(m -> m instanceof Pod)
        .allSatisfy(p -> assertThat(((Pod) p).getMetadata().getOwnerReferencesList()).isEmpty());
    assertThat(api.lastWritten(Kinds.REPLICA_SET).orElseThrow().getMetadata().getFinalizersList())
        .containsExactly("other");
  }

  @Test
  void objectsBeingDeletedAreNotCollectedAgain() throws Exception {
    Pod p = pod("web-1", ref(replicaSet("web", "uid-rs")));
    cache(p.toBuilder().setMetadata(p.getMetadata().toBuilder()
        .setDeletionTimestamp(Timestamp.newBuilder().setSeconds(1))).build());

    gc.reconcile("pods/default/web-1");
    gc.reconcile("pods/default/absent");

    assertThat(api.calls()).isEmpty();
  }

  private static ReplicaSet replicaSet(String name, String uid) {
    return ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid(uid)).build();
  }

  private static OwnerReference ref(ReplicaSet rs) {
    return OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("ReplicaSet")
        .setName(rs.getMetadata().getName()).setUid(rs.getMetadata().getUid()).setController(true).build();
  }

  private static Pod pod(String name, OwnerReference... owners) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid("uid-" + name)
            .addAllOwnerReferences(java.util.List.of(owners)))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox")))
        .build();
  }
}
