package io.minik8s.controllermanager.deployment;

import static io.minik8s.controllermanager.testing.Fixtures.NS;
import static io.minik8s.controllermanager.testing.Fixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.DeploymentStrategy;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Store;
import io.minik8s.controllermanager.testing.Fixtures;
import io.minik8s.controllermanager.testing.RecordingApiServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final Map<String, String> APP = Map.of("app", "web");

  private final RecordingApiServer api = new RecordingApiServer();
  private final Store<Deployment> deployments = new Store<>();
  private final Store<ReplicaSet> replicaSets = new Store<>();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final DeploymentController controller = new DeploymentController(api.client(), deployments, replicaSets,
      new EventRecorder(api.client(), "deployment-controller", "test", clock), clock);

  @AfterEach
  void close() {
    api.close();
  }

  private static Deployment deployment(int replicas, String image, String strategy) {
    return Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName("web").setUid("uid-web").setGeneration(1)
            .setResourceVersion("5"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(APP)).setTemplate(template(APP, image))
            .setStrategy(DeploymentStrategy.newBuilder().setType(strategy)).setRevisionHistoryLimit(10))
        .build();
  }

  private Deployment seed(Deployment d) {
    deployments.put(d);
    api.seed(d);
    return d;
  }

  /** Puts what the controller created or updated into the cache, as the informer would. */
  private ReplicaSet observe(String name, int ready, Instant created) {
    ReplicaSet rs = api.stored(Kinds.REPLICA_SET, NS, name).orElseThrow();
    int size = rs.getSpec().getReplicas();
    rs = rs.toBuilder().setMetadata(rs.getMetadata().toBuilder().setCreationTimestamp(Fixtures.ts(created)))
        .setStatus(ReplicaSetStatus.newBuilder().setReplicas(size).setReadyReplicas(Math.min(ready, size))
            .setAvailableReplicas(Math.min(ready, size))).build();
    replicaSets.put(rs);
    api.seed(rs);
    return rs;
  }

  @Test
  void firstRolloutCreatesOneReplicaSetNamedByTheTemplateHash() throws Exception {
    Deployment d = seed(deployment(3, "nginx:1", "RollingUpdate"));
    controller.reconcile("default/web");

    String hash = PodTemplateHash.of(d.getSpec().getTemplate());
    assertThat(api.takeWrites()).containsExactly("update deployments default/web",
        "create replicasets default/web-" + hash, "status deployments default/web");
    ReplicaSet rs = api.stored(Kinds.REPLICA_SET, NS, "web-" + hash).orElseThrow();
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rs.getSpec().getSelector().getMatchLabelsMap()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabelsMap()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry(DeploymentController.REVISION, "1");
    assertThat(rs.getMetadata().getOwnerReferences(0).getKind()).isEqualTo("Deployment");
    assertThat(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow().getMetadata().getAnnotationsMap())
        .containsEntry(DeploymentController.REVISION, "1");
  }

  @Test
  void templateChangeRollsWithinSurgeAndUnavailableThenRollbackReusesTheOldReplicaSet() throws Exception {
    Deployment v1 = seed(deployment(4, "nginx:1", "RollingUpdate"));
    controller.reconcile("default/web");
    String oldName = "web-" + PodTemplateHash.of(v1.getSpec().getTemplate());
    observe(oldName, 4, NOW.minusSeconds(100));
    deployments.put(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow());
    api.takeWrites();

    Deployment v2 = deployment(4, "nginx:2", "RollingUpdate");
    v2 = seed(v2.toBuilder().setMetadata(deployments.get("default/web").orElseThrow().getMetadata()).build());
    String newName = "web-" + PodTemplateHash.of(v2.getSpec().getTemplate());
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).contains("create replicasets default/" + newName);
    // 25% of 4: one extra pod.
    assertThat(api.stored(Kinds.REPLICA_SET, NS, newName).orElseThrow().getSpec().getReplicas()).isEqualTo(1);
    assertThat(api.stored(Kinds.REPLICA_SET, NS, newName).orElseThrow().getMetadata().getAnnotationsMap())
        .containsEntry(DeploymentController.REVISION, "2");

    observe(newName, 0, NOW);
    deployments.put(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow());
    controller.reconcile("default/web");
    // One old pod may go (4 available, floor 3).
    assertThat(api.takeWrites()).contains("update replicasets default/" + oldName);
    assertThat(api.stored(Kinds.REPLICA_SET, NS, oldName).orElseThrow().getSpec().getReplicas()).isEqualTo(3);

    // Rollback: the old template comes back, as kubectl sends it (an empty `resources: {}` the ReplicaSet's copy
    // does not have); its ReplicaSet becomes revision 3, remembering 1, and no new one is made.
    observe(oldName, 3, NOW.minusSeconds(100));
    Deployment back = deployments.get("default/web").orElseThrow();
    PodTemplateSpec.Builder undone = v1.getSpec().getTemplate().toBuilder();
    undone.getSpecBuilder().getContainersBuilder(0).setResources(ResourceRequirements.getDefaultInstance());
    seed(back.toBuilder().setSpec(back.getSpec().toBuilder().setTemplate(undone)).build());
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).noneMatch(w -> w.startsWith("create replicasets"));
    assertThat(api.stored(Kinds.REPLICA_SET, NS, oldName).orElseThrow().getMetadata().getAnnotationsMap())
        .containsEntry(DeploymentController.REVISION, "3")
        .containsEntry(DeploymentController.REVISION_HISTORY, "1");
  }

  @Test
  void pausedDeploymentsOnlyReportStatus() throws Exception {
    Deployment d = deployment(2, "nginx:1", "RollingUpdate");
    seed(d.toBuilder().setSpec(d.getSpec().toBuilder().setPaused(true)).build());
    controller.reconcile("default/web");
    assertThat(api.takeWrites()).containsExactly("status deployments default/web");
    DeploymentStatus s = ((Deployment) api.written(Kinds.DEPLOYMENT).get(0)).getStatus();
    assertThat(s.getConditionsList()).anyMatch(c -> c.getType().equals("Progressing")
        && c.getReason().equals("DeploymentPaused"));
  }

  @Test
  void recreateScalesOldToZeroBeforeCreatingTheNew() throws Exception {
    Deployment v1 = seed(deployment(2, "nginx:1", "Recreate"));
    controller.reconcile("default/web");
    String oldName = "web-" + PodTemplateHash.of(v1.getSpec().getTemplate());
    observe(oldName, 2, NOW.minusSeconds(100));
    Deployment current = api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow();
    seed(current.toBuilder().setSpec(deployment(2, "nginx:2", "Recreate").getSpec()).build());
    api.takeWrites();

    controller.reconcile("default/web");
    assertThat(api.takeWrites()).contains("update replicasets default/" + oldName)
        .noneMatch(w -> w.startsWith("create replicasets"));
    ReplicaSet old = observe(oldName, 0, NOW.minusSeconds(100));
    assertThat(old.getSpec().getReplicas()).isZero();

    controller.reconcile("default/web");
    assertThat(api.takeWrites()).anyMatch(w -> w.startsWith("create replicasets"));
  }

  @Test
  void statusReportsCompleteRolloutAsAvailableAndNewReplicaSetAvailable() throws Exception {
    Deployment d = seed(deployment(2, "nginx:1", "RollingUpdate"));
    controller.reconcile("default/web");
    observe("web-" + PodTemplateHash.of(d.getSpec().getTemplate()), 2, NOW);
    deployments.put(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow());
    controller.reconcile("default/web");
    DeploymentStatus s = api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow().getStatus();
    assertThat(s.getReplicas()).isEqualTo(2);
    assertThat(s.getUpdatedReplicas()).isEqualTo(2);
    assertThat(s.getAvailableReplicas()).isEqualTo(2);
    assertThat(s.getUnavailableReplicas()).isZero();
    assertThat(s.getConditionsList()).anyMatch(c -> c.getType().equals("Available") && c.getStatus().equals("True"))
        .anyMatch(c -> c.getType().equals("Progressing") && c.getReason().equals("NewReplicaSetAvailable"));
  }

  /** A finished rollout must not be rewritten on every pass (each write would wake the controller again). */
  @Test
  void aCompleteRolloutIsNotRewrittenByLaterPasses() throws Exception {
    Deployment d = seed(deployment(2, "nginx:1", "RollingUpdate"));
    controller.reconcile("default/web");
    observe("web-" + PodTemplateHash.of(d.getSpec().getTemplate()), 2, NOW);
    deployments.put(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow());
    controller.reconcile("default/web");
    deployments.put(api.stored(Kinds.DEPLOYMENT, NS, "web").orElseThrow());
    api.takeWrites();
    Clock later = Clock.offset(clock, java.time.Duration.ofSeconds(30));
    new DeploymentController(api.client(), deployments, replicaSets,
        new EventRecorder(api.client(), "deployment-controller", "test", later), later).reconcile("default/web");
    assertThat(api.takeWrites()).isEmpty();
  }
}
