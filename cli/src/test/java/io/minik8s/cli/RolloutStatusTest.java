package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.Kinds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubectl's rollout status rules, and how workloads are named on the command line. */
class RolloutStatusTest {
  private static Deployment deployment(long generation, DeploymentStatus.Builder status) {
    return Deployment.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web").setGeneration(generation))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)).setStatus(status).build();
  }

  private static RolloutCommand.Status.Progress progress(Deployment d) {
    return RolloutCommand.Status.progress(d);
  }

  @Test
  void followsKubectlsStages() {
    assertThat(progress(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(1))).message())
        .isEqualTo("Waiting for deployment spec update to be observed...");
    assertThat(progress(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setUpdatedReplicas(1)
        .setReplicas(3))).message())
        .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
    assertThat(progress(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setUpdatedReplicas(3)
        .setReplicas(4))).message())
        .isEqualTo("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
    assertThat(progress(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2).setUpdatedReplicas(3)
        .setReplicas(3).setAvailableReplicas(2))).message())
        .isEqualTo("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...");
    RolloutCommand.Status.Progress done = progress(deployment(2, DeploymentStatus.newBuilder().setObservedGeneration(2)
        .setUpdatedReplicas(3).setReplicas(3).setAvailableReplicas(3)));
    assertThat(done.done()).isTrue();
    assertThat(done.failed()).isFalse();
    assertThat(done.message()).isEqualTo("deployment \"web\" successfully rolled out");
  }

  @Test
  void aMissedProgressDeadlineFails() {
    RolloutCommand.Status.Progress p = progress(deployment(1, DeploymentStatus.newBuilder().setObservedGeneration(1)
        .addConditions(DeploymentCondition.newBuilder().setType("Progressing").setStatus("False")
            .setReason("ProgressDeadlineExceeded"))));
    assertThat(p.failed()).isTrue();
    assertThat(p.message()).isEqualTo("error: deployment \"web\" exceeded its progress deadline");
  }

  @Test
  void workloadsAreNamedAsKubectlNamesThem() {
    assertThat(WorkloadRef.parse(List.of("deploy/web"), WorkloadRef.SCALABLE))
        .isEqualTo(new WorkloadRef(Kinds.DEPLOYMENT, "web"));
    assertThat(WorkloadRef.parse(List.of("rs", "web-1"), WorkloadRef.SCALABLE))
        .isEqualTo(new WorkloadRef(Kinds.REPLICA_SET, "web-1"));
    assertThatThrownBy(() -> WorkloadRef.parse(List.of("pod/web"), WorkloadRef.SCALABLE))
        .isInstanceOf(UsageException.class).hasMessageContaining("no pods support");
    assertThatThrownBy(() -> WorkloadRef.parse(List.of("web"), WorkloadRef.SCALABLE))
        .isInstanceOf(UsageException.class).hasMessageContaining("TYPE/NAME");
  }
}
