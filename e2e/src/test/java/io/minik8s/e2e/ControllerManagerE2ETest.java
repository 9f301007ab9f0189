package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller-manager as a real process against a real API server and etcd. No scheduler or kubelet
 * runs: pods stay Pending, and where readiness matters the test plays the kubelet by writing the Ready
 * condition with updateStatus. The tests share one Deployment and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerManagerE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "cm";
  private static final Map<String, String> APP = Map.of("app", "web");

  private Cluster cluster;
  private ApiClient client;
  private ProcessRunner controllerManager;

  @BeforeAll
  void startCluster() {
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    int health = FreePorts.one();
    controllerManager = cluster.startComponent("controller-manager", "controller-manager", "--apiserver",
        cluster.server(), "--health-port", Integer.toString(health), "--health-bind-address", "127.0.0.1");
    controllerManager.awaitHttpOk(URI.create("http://127.0.0.1:" + health + "/readyz"), Duration.ofSeconds(60));
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NS)).build());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aDeploymentOfThreeGetsThreePods() {
    client.create(Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName("web"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(APP))
            .setTemplate(template("busybox:1"))
            .setStrategy(DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(IntOrString.newBuilder().setIntVal(1))
                    .setMaxUnavailable(IntOrString.newBuilder().setIntVal(0)))))
        .build());

    await("3 pods").atMost(WAIT).untilAsserted(() -> assertThat(activePods()).hasSize(3)
        .allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences(0).getKind()).isEqualTo("ReplicaSet")));
    List<ReplicaSet> sets = replicaSets();
    assertThat(sets).singleElement().satisfies(rs -> {
      assertThat(rs.getMetadata().getName()).startsWith("web-");
      assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "1");
    });
    await("status").atMost(WAIT).untilAsserted(() ->
        assertThat(client.get(Kinds.DEPLOYMENT, NS, "web").getStatus().getReplicas()).isEqualTo(3));
  }

  @Test
  @Order(2)
  void aDeletedPodIsReplaced() {
    Pod victim = activePods().get(0);
    client.delete(Kinds.POD, NS, victim.getMetadata().getName());
    await("replaced").atMost(WAIT).untilAsserted(() -> assertThat(activePods()).hasSize(3)
        .noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));
  }

  @Test
  @Order(3)
  void scalesUpToFiveAndDownToOne() {
    updateDeployment(d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setReplicas(5)).build());
    await("5 pods").atMost(WAIT).untilAsserted(() -> assertThat(activePods()).hasSize(5));
    updateDeployment(d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setReplicas(1)).build());
    await("1 pod").atMost(WAIT).untilAsserted(() -> assertThat(activePods()).hasSize(1));
    updateDeployment(d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setReplicas(2)).build());
    await("2 pods").atMost(WAIT).untilAsserted(() -> assertThat(activePods()).hasSize(2));
  }

  @Test
  @Order(4)
  void aTemplateChangeRollsWithinSurgeAndUnavailable() {
    await("2 ready").atMost(WAIT).untilAsserted(() -> {
      markAllReady();
      assertThat(client.get(Kinds.DEPLOYMENT, NS, "web").getStatus().getAvailableReplicas()).isEqualTo(2);
    });
    updateDeployment(d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(template("busybox:2"))).build());

    await("rolled to busybox:2").atMost(WAIT).untilAsserted(() -> {
      List<Pod> pods = activePods();
      // maxSurge 1, maxUnavailable 0 on 2 replicas: never more than 3 pods, never fewer than 2 ready.
      assertThat(pods.size()).isLessThanOrEqualTo(3);
      assertThat(pods.stream().filter(ControllerManagerE2ETest::ready).count()).isGreaterThanOrEqualTo(2);
      markAllReady();
      assertThat(activePods()).hasSize(2)
          .allSatisfy(p -> assertThat(p.getSpec().getContainers(0).getImage()).isEqualTo("busybox:2"));
    });
    await("complete").atMost(WAIT).untilAsserted(() -> assertThat(client.get(Kinds.DEPLOYMENT, NS, "web")
        .getStatus().getConditionsList()).anyMatch(c -> c.getReason().equals("NewReplicaSetAvailable")));
    assertThat(client.get(Kinds.DEPLOYMENT, NS, "web").getMetadata().getAnnotationsMap())
        .containsEntry("deployment.kubernetes.io/revision", "2");
  }

  @Test
  @Order(5)
  void undoReturnsToTheOldTemplate() {
    // What `mkctl rollout undo` does: copy the previous revision's template back.
    ReplicaSet previous = replicaSets().stream()
        .filter(rs -> rs.getMetadata().getAnnotationsMap().get("deployment.kubernetes.io/revision").equals("1"))
        .findFirst().orElseThrow();
    PodTemplateSpec t = previous.getSpec().getTemplate();
    PodTemplateSpec back = t.toBuilder().setMetadata(t.getMetadata().toBuilder().removeLabels("pod-template-hash")).build();
    updateDeployment(d -> d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(back)).build());

    await("rolled back").atMost(WAIT).untilAsserted(() -> {
      markAllReady();
      assertThat(activePods()).hasSize(2)
          .allSatisfy(p -> assertThat(p.getSpec().getContainers(0).getImage()).isEqualTo("busybox:1"));
      assertThat(client.get(Kinds.REPLICA_SET, NS, previous.getMetadata().getName()).getMetadata()
          .getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "3");
    });
    assertThat(replicaSets()).hasSize(2);
  }

  private static PodTemplateSpec template(String image) {
    return PodTemplateSpec.newBuilder().setMetadata(ObjectMeta.newBuilder().putAllLabels(APP))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage(image)))
        .build();
  }

  private void updateDeployment(UnaryOperator<Deployment> change) {
    await().atMost(WAIT).ignoreException(ApiException.class)
        .until(() -> client.update(change.apply(client.get(Kinds.DEPLOYMENT, NS, "web"))) != null);
  }

  private List<Pod> activePods() {
    return client.list(Kinds.POD, ListOptions.inNamespace(NS)).items().stream()
        .filter(p -> !p.getMetadata().hasDeletionTimestamp()).toList();
  }

  private List<ReplicaSet> replicaSets() {
    return client.list(Kinds.REPLICA_SET, ListOptions.inNamespace(NS)).items();
  }

  private static boolean ready(Pod p) {
    return p.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** Plays the kubelet: every pod not yet Ready becomes Running and Ready now. */
  private void markAllReady() {
    Instant now = Instant.now();
    for (Pod p : activePods()) {
      if (ready(p)) {
        continue;
      }
      try {
        client.updateStatus(p.toBuilder().setStatus(p.getStatus().toBuilder().setPhase("Running")
            .clearConditions().addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")
                .setLastTransitionTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond())))).build());
      } catch (ApiException e) {
        if (!e.isConflict() && !e.isNotFound()) {
          throw e;
        }
      }
    }
  }
}
