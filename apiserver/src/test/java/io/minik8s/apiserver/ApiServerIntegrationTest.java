package io.minik8s.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Container;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatusCause;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API server's semantics, through its gRPC API, against a real etcd. */
@WithEtcd
class ApiServerIntegrationTest {
  private static ApiServer server;
  private static ApiClient client;

  @BeforeAll
  static void start(EtcdProcess etcd) throws Exception {
    server = TestServers.start(etcd);
    client = TestServers.client(server);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.lifecycle().shutdown("test done");
  }

  static Pod pod(String ns, String name, String node) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(ns).putLabels("app", "web"))
        .setSpec(PodSpec.newBuilder().setNodeName(node)
            .addContainers(Container.newBuilder().setName("web").setImage("localhost/busybox:latest")))
        .build();
  }

  static Namespace namespace(String name) {
    return Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build();
  }

  @Test
  void systemNamespacesExistFromTheStart() {
    assertThat(client.get(Kinds.NAMESPACE, "", "default").getStatus().getPhase()).isEqualTo("Active");
    assertThat(client.get(Kinds.NAMESPACE, "", "kube-system").getMetadata().getUid()).isNotEmpty();
  }

  @Test
  void createFillsServerFieldsAndDefaults() {
    Pod created = client.create(pod("default", "create-1", ""));
    ObjectMeta m = created.getMetadata();
    assertThat(m.getUid()).isNotEmpty();
    assertThat(Long.parseLong(m.getResourceVersion())).isPositive();
    assertThat(m.getGeneration()).isEqualTo(1);
    assertThat(m.hasCreationTimestamp()).isTrue();
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(client.get(Kinds.POD, "default", "create-1")).isEqualTo(created);
    assertThatThrownBy(() -> client.create(pod("default", "create-1", "")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
  }

  @Test
  void generateNameMakesUniqueNames() {
    Pod template = pod("default", "", "").toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setGenerateName("gen-").setNamespace("default")).build();
    Pod a = client.create(template);
    Pod b = client.create(template);
    assertThat(a.getMetadata().getName()).startsWith("gen-").hasSize(9).isNotEqualTo(b.getMetadata().getName());
  }

  @Test
  void invalidObjectsAreRefusedWithEveryProblemAndNothingIsStored() {
    Pod bad = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("Bad_Name"))
        .setSpec(PodSpec.newBuilder().setRestartPolicy("Sometimes")
            .addContainers(Container.newBuilder().setName("web"))).build();
    assertThatThrownBy(() -> client.create(bad)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.isInvalid()).isTrue();
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.causes()).extracting(StatusCause::getField)
          .contains("metadata.name", "spec.containers[0].image", "spec.restartPolicy");
      assertThat(e.getMessage()).startsWith("Pod \"Bad_Name\" is invalid: [");
    });
    assertThat(client.find(Kinds.POD, "default", "Bad_Name")).isEmpty();
  }

  @Test
  void readinessIncludesTheGrpcPortListening() throws Exception {
    // The health port opens before bootstrap; without this check /readyz said ok while gRPC still refused.
    java.net.http.HttpResponse<String> readyz = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.healthPort()
            + "/readyz?verbose")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(readyz.statusCode()).isEqualTo(200);
    assertThat(readyz.body()).contains("[+]serving ok", "[+]etcd ok", "[+]watch-cache ok");
  }

  @Test
  void unknownNamespaceIsNotFound() {
    assertThatThrownBy(() -> client.create(pod("nowhere", "p", "")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.isNotFound()).isTrue();
          assertThat(e.getMessage()).isEqualTo("namespaces \"nowhere\" not found");
        });
  }

  @Test
  void concurrentReadModifyWriteLosesNoUpdate() throws Exception {
    client.create(Lease.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("counter").setNamespace("default"))
        .setSpec(LeaseSpec.newBuilder().setLeaseTransitions(0)).build());
    int threads = 6;
    int perThread = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> conflicts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      conflicts.add(pool.submit(() -> {
        int seen = 0;
        for (int i = 0; i < perThread; i++) {
          while (true) {
            Lease cur = client.get(Kinds.LEASE, "default", "counter");
            Lease next = cur.toBuilder().setSpec(cur.getSpec().toBuilder()
                .setLeaseTransitions(cur.getSpec().getLeaseTransitions() + 1)).build();
            try {
              client.update(next);
              break;
            } catch (ApiException e) {
              assertThat(e.isConflict()).as(e.getMessage()).isTrue();
              seen++;
            }
          }
        }
        return seen;
      }));
    }
    int totalConflicts = 0;
    for (Future<Integer> f : conflicts) {
      totalConflicts += f.get();
    }
    pool.shutdown();
    assertThat(client.get(Kinds.LEASE, "default", "counter").getSpec().getLeaseTransitions())
        .isEqualTo(threads * perThread);
    assertThat(totalConflicts).as("concurrent writers must have collided at least once").isPositive();
  }

  @Test
  void staleResourceVersionIsAConflict() {
    Pod created = client.create(pod("default", "stale", ""));
    client.update(created.toBuilder().setMetadata(created.getMetadata().toBuilder().putLabels("v", "2")).build());
    assertThatThrownBy(() -> client.update(created.toBuilder()
        .setMetadata(created.getMetadata().toBuilder().putLabels("v", "3")).build()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
  }

  @Test
  void generationGrowsOnSpecChangesOnlyAndStatusWritesKeepSpec() {
    Service svc = client.create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("gen").setNamespace("default"))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web").addPorts(ServicePort.newBuilder().setPort(80)))
        .build());
    Service relabeled = client.update(svc.toBuilder().setMetadata(svc.getMetadata().toBuilder().putLabels("a", "b")).build());
    assertThat(relabeled.getMetadata().getGeneration()).isEqualTo(1);
    Service respec = client.update(relabeled.toBuilder().setSpec(relabeled.getSpec().toBuilder().putSelector("tier", "x")).build());
    assertThat(respec.getMetadata().getGeneration()).isEqualTo(2);
    Service withStatus = respec.toBuilder().setSpec(ServiceSpec.getDefaultInstance()).build();
    withStatus = withStatus.toBuilder().setStatus(withStatus.getStatus().toBuilder()
        .setLoadBalancer(io.minik8s.api.LoadBalancerStatus.newBuilder()
            .addIngress(io.minik8s.api.LoadBalancerIngress.newBuilder().setIp("192.0.2.10")))).build();
    Service afterStatus = client.updateStatus(withStatus);
    assertThat(afterStatus.getSpec()).isEqualTo(respec.getSpec());
    assertThat(afterStatus.getStatus().getLoadBalancer().getIngress(0).getIp()).isEqualTo("192.0.2.10");
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(2);
    // an update ignores status
    Service noStatus = client.update(afterStatus.toBuilder().clearStatus().build());
    assertThat(noStatus.getStatus().getLoadBalancer().getIngressCount()).isEqualTo(1);
  }

  @Test
  void podsOnANodeAreDeletedGracefullyAndConfirmedByGracePeriodZero() {
    client.create(pod("default", "graceful", "node-1"));
    Pod marked = client.delete(Kinds.POD, "default", "graceful");
    assertThat(marked.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
    assertThat(client.find(Kinds.POD, "default", "graceful")).isPresent();
    client.delete(Kinds.POD, "default", "graceful", DeleteOptions.gracePeriod(0));
    assertThat(client.find(Kinds.POD, "default", "graceful")).isEmpty();

    client.create(pod("default", "unscheduled", ""));
    client.delete(Kinds.POD, "default", "unscheduled");
    assertThat(client.find(Kinds.POD, "default", "unscheduled")).isEmpty();
  }

  @Test
  void finalizersHoldAnObjectUntilRemoved() {
    Pod p = pod("default", "finalized", "");
    p = client.create(p.toBuilder().setMetadata(p.getMetadata().toBuilder().addFinalizers("example.com/hold")).build());
    Pod marked = client.delete(Kinds.POD, "default", "finalized");
    assertThat(marked.getMetadata().hasDeletionTimestamp()).isTrue();
    Pod current = client.get(Kinds.POD, "default", "finalized");
    client.update(current.toBuilder().setMetadata(current.getMetadata().toBuilder().clearFinalizers()).build());
    assertThat(client.find(Kinds.POD, "default", "finalized")).isEmpty();
  }

  @Test
  void orphanPropagationAddsTheOrphanFinalizerWhichHoldsTheObjectUntilRemoved() {
    client.create(pod("default", "orphaning", ""));
    Pod marked = client.delete(Kinds.POD, "default", "orphaning", DeleteOptions.propagation("Orphan"));
    assertThat(marked.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThat(marked.getMetadata().getFinalizersList()).containsExactly("orphan");
    Pod again = client.delete(Kinds.POD, "default", "orphaning", DeleteOptions.propagation("Orphan"));
    assertThat(again.getMetadata().getFinalizersList()).containsExactly("orphan");
    Pod current = client.get(Kinds.POD, "default", "orphaning");
    client.update(current.toBuilder().setMetadata(current.getMetadata().toBuilder().clearFinalizers()).build());
    assertThat(client.find(Kinds.POD, "default", "orphaning")).isEmpty();

    client.create(pod("default", "background", ""));
    client.delete(Kinds.POD, "default", "background", DeleteOptions.propagation("Background"));
    assertThat(client.find(Kinds.POD, "default", "background")).isEmpty();
  }

  @Test
  void bindSetsTheNodeOnceAndOnlyOnce() {
    client.create(pod("default", "to-bind", ""));
    Pod bound = client.bind("default", "to-bind", "node-a");
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-a");
    assertThat(bound.getStatus().getConditionsList())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("PodScheduled=True"));
    assertThatThrownBy(() -> client.bind("default", "to-bind", "node-b"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
  }

  @Test
  void listsFilterByLabelAndFieldSelectorsAndPage() {
    client.create(namespace("sel"));
    for (int i = 0; i < 7; i++) {
      Pod p = pod("sel", "p" + i, i % 2 == 0 ? "node-even" : "");
      client.create(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("tier", i < 3 ? "a" : "b")).build());
    }
    ListOptions inSel = ListOptions.inNamespace("sel");
    assertThat(client.list(Kinds.POD, inSel.withLabelSelector("tier in (a),app=web")).items()).hasSize(3);
    assertThat(client.list(Kinds.POD, inSel.withLabelSelector("tier notin (a)")).items()).hasSize(4);
    assertThat(client.list(Kinds.POD, inSel.withFieldSelector("spec.nodeName=node-even")).items()).hasSize(4);
    assertThat(client.list(Kinds.POD, inSel.withFieldSelector("spec.nodeName=")).items()).hasSize(3);
    ApiClient.ListResult<Pod> page1 = client.list(Kinds.POD, inSel.withLimit(3));
    assertThat(page1.items()).hasSize(3);
    ApiClient.ListResult<Pod> page2 = client.list(Kinds.POD, inSel.withLimit(3).withContinue(page1.continueToken()));
    ApiClient.ListResult<Pod> page3 = client.list(Kinds.POD, inSel.withLimit(3).withContinue(page2.continueToken()));
    assertThat(page3.items()).hasSize(1);
    assertThat(page3.continueToken()).isEmpty();
    assertThatThrownBy(() -> client.list(Kinds.POD, inSel.withFieldSelector("spec.image=x")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void aWatchFromAListSeesEveryLaterChangeOnceAndInOrder() {
    client.create(namespace("watch"));
    for (int i = 0; i < 3; i++) {
      client.create(pod("watch", "before-" + i, ""));
    }
    ApiClient.ListResult<Pod> list = client.list(Kinds.POD, ListOptions.inNamespace("watch"));
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Long> revisions = new CopyOnWriteArrayList<>();
    ApiClient.Watch watch = client.watch(Kinds.POD,
        new WatchOptions("watch", "", "", list.resourceVersion(), false),
        new ApiClient.WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod pod) {
            seen.add(type + " " + pod.getMetadata().getName());
            revisions.add(Long.parseLong(pod.getMetadata().getResourceVersion()));
          }

          @Override
          public void onClose(ApiException error) {}
        });
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      client.create(pod("watch", "after-" + i, ""));
      expected.add("ADDED after-" + i);
    }
    Pod p = client.get(Kinds.POD, "watch", "before-0");
    client.update(p.toBuilder().setMetadata(p.getMetadata().toBuilder().putLabels("x", "y")).build());
    expected.add("MODIFIED before-0");
    client.delete(Kinds.POD, "watch", "before-1");
    expected.add("DELETED before-1");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= expected.size());
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(revisions).isSorted().doesNotHaveDuplicates();
    watch.cancel();
  }

  @Test
  void aWatchFromACompactedRevisionIsExpired(EtcdProcess etcd) {
    client.create(namespace("compact"));
    for (int i = 0; i < 3; i++) {
      client.create(pod("compact", "c" + i, ""));
    }
    etcd.compact(etcd.revision());
    // Revision 1 is older than anything this API server's watch cache holds, so the watch is served
    // from etcd, which has compacted it away.
    AtomicReference<ApiException> closed = new AtomicReference<>();
    client.watch(Kinds.POD, new WatchOptions("compact", "", "", "1", false),
        new ApiClient.WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod pod) {}

          @Override
          public void onClose(ApiException error) {
            closed.set(error);
          }
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> closed.get() != null);
    assertThat(closed.get().isExpired()).as(closed.get().getMessage()).isTrue();
    assertThat(closed.get().code()).isEqualTo(410);
  }

  @Test
  void deletingANamespaceDeletesWhatIsInItThenTheNamespace() {
    client.create(namespace("doomed"));
    client.create(pod("doomed", "a", ""));
    client.create(Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("s").setNamespace("doomed"))
        .setSpec(ServiceSpec.newBuilder().addPorts(ServicePort.newBuilder().setPort(80))).build());
    Namespace marked = client.delete(Kinds.NAMESPACE, "", "doomed");
    assertThat(marked.getStatus().getPhase()).isEqualTo("Terminating");
    await().atMost(Duration.ofSeconds(10)).until(() -> client.find(Kinds.NAMESPACE, "", "doomed").isEmpty());
    assertThat(client.list(Kinds.POD, ListOptions.inNamespace("doomed")).items()).isEmpty();
    assertThat(client.list(Kinds.SERVICE, ListOptions.inNamespace("doomed")).items()).isEmpty();
  }

  @Test
  void oversizedObjectsAreRefused() {
    Pod p = pod("default", "huge", "");
    Pod huge = p.toBuilder().setMetadata(p.getMetadata().toBuilder()
        .putAnnotations("big", "x".repeat(200 * 1024))).build();
    // annotations over 256 KiB in total are invalid; a huge env list is merely too large
    Container.Builder c = huge.getSpec().getContainers(0).toBuilder();
    for (int i = 0; i < 20; i++) {
      c.addEnv(io.minik8s.api.EnvVar.newBuilder().setName("V" + i).setValue("y".repeat(100 * 1024)));
    }
    Pod tooLarge = huge.toBuilder().setSpec(huge.getSpec().toBuilder().setContainers(0, c)).build();
    assertThatThrownBy(() -> client.create(tooLarge))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(413));
    assertThat(client.find(Kinds.POD, "default", "huge")).isEmpty();
  }
}
