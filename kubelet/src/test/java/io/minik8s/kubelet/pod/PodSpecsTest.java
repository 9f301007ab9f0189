package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EnvVar;
import io.minik8s.api.Pod;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.kubelet.cri.ContainerSpec;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.runtime.PodLabels;
import io.minik8s.kubelet.testing.Pods;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodSpecsTest {
  private final PodSpecs specs = new PodSpecs(Path.of("/var/log/pods"), List.of("10.96.0.10"), "cluster.local");

  @Test
  void theSandboxCarriesThePodsIdentityLogDirectoryHostnameDnsAndHostPorts() {
    Container web = Pods.container("web", "httpd").toBuilder()
        .addPorts(ContainerPort.newBuilder().setContainerPort(8080).setHostPort(30080).setProtocol("TCP"))
        .addPorts(ContainerPort.newBuilder().setContainerPort(9090)).build();
    Pod pod = Pods.pod("web", "Always", web);
    pod = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().putLabels("app", "web")).build();

    SandboxSpec s = specs.sandbox(pod, 2);

    String uid = pod.getMetadata().getUid();
    assertThat(s.attempt()).isEqualTo(2);
    assertThat(s.hostname()).isEqualTo("web");
    assertThat(s.logDirectory()).isEqualTo("/var/log/pods/default_web_" + uid);
    assertThat(s.labels()).containsEntry("app", "web").containsEntry(PodLabels.POD_UID, uid)
        .containsEntry(PodLabels.POD_NAME, "web").containsEntry(PodLabels.POD_NAMESPACE, "default");
    assertThat(s.ports()).containsExactly(new SandboxSpec.Port(SandboxSpec.Protocol.TCP, 8080, 30080, ""));
    assertThat(s.dns().servers()).containsExactly("10.96.0.10");
    assertThat(s.dns().searches()).containsExactly("default.svc.cluster.local", "svc.cluster.local", "cluster.local");
    assertThat(s.dns().options()).containsExactly("ndots:5");
    assertThat(new PodSpecs(Path.of("/l"), List.of(), "cluster.local").sandbox(pod, 0).dns())
        .as("no cluster DNS: the runtime's default").isNull();
  }

  @Test
  void theContainerGetsCommandEnvLimitsLabelsAndALogPathPerAttempt() {
    Container c = Pods.container("app", "sh", "-c", "run").toBuilder().addArgs("--fast").setWorkingDir("/srv")
        .addEnv(EnvVar.newBuilder().setName("MODE").setValue("prod"))
        .setResources(ResourceRequirements.newBuilder().putLimits("cpu", "500m").putLimits("memory", "64Mi")
            .putRequests("cpu", "250m"))
        .build();
    Pod pod = Pods.pod("web", "Always", c);

    ContainerSpec spec = specs.container(pod, c, 3);

    assertThat(spec.command()).containsExactly("sh", "-c", "run");
    assertThat(spec.args()).containsExactly("--fast");
    assertThat(spec.workingDir()).isEqualTo("/srv");
    assertThat(spec.env()).containsExactly(new ContainerSpec.EnvVar("MODE", "prod"));
    assertThat(spec.attempt()).isEqualTo(3);
    assertThat(spec.logPath()).isEqualTo("app/3.log");
    assertThat(spec.resources()).isEqualTo(new ContainerSpec.Resources(100_000, 50_000, 256, 64L << 20));
    assertThat(spec.labels()).containsEntry(PodLabels.CONTAINER_NAME, "app")
        .containsEntry(PodLabels.POD_UID, pod.getMetadata().getUid());
    assertThat(spec.annotations()).containsEntry(PodLabels.CONTAINER_RESTART_COUNT, "3")
        .containsEntry(PodLabels.POD_TERMINATION_GRACE_PERIOD, "30")
        .containsEntry(PodLabels.CONTAINER_HASH, PodSpecs.hash(c));
  }

  @Test
  void theSpecHashIsStableAndSeesEveryRelevantChange() {
    Container c = Pods.container("app", "sleep", "1").toBuilder()
        .setResources(ResourceRequirements.newBuilder().putLimits("cpu", "1").putLimits("memory", "1Gi")).build();
    Container sameOtherMapOrder = c.toBuilder().setResources(ResourceRequirements.newBuilder()
        .putLimits("memory", "1Gi").putLimits("cpu", "1")).build();
    assertThat(PodSpecs.hash(c)).isEqualTo(PodSpecs.hash(sameOtherMapOrder)).hasSize(16);
    assertThat(PodSpecs.hash(c.toBuilder().setImage("other").build())).isNotEqualTo(PodSpecs.hash(c));
    assertThat(PodSpecs.hash(c.toBuilder().addArgs("x").build())).isNotEqualTo(PodSpecs.hash(c));
  }

  @Test
  void aLongPodNameIsCutToAHostname() {
    Pod pod = Pods.pod("a".repeat(62) + "-bc", "Always", Pods.container("c", "true"));
    assertThat(PodSpecs.hostname(pod)).isEqualTo("a".repeat(62));
  }

  @Test
  void defaultPullPolicyFollowsTheTag() {
    assertThat(ImagePuller.defaultPolicy("busybox")).isEqualTo("Always");
    assertThat(ImagePuller.defaultPolicy("localhost:5000/busybox:latest")).isEqualTo("Always");
    assertThat(ImagePuller.defaultPolicy("localhost:5000/busybox")).isEqualTo("Always");
    assertThat(ImagePuller.defaultPolicy("busybox:1.36")).isEqualTo("IfNotPresent");
    assertThat(ImagePuller.defaultPolicy("busybox@sha256:abc")).isEqualTo("IfNotPresent");
  }
}
