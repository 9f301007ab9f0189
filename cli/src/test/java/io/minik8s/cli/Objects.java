package io.minik8s.cli;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateRunning;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Namespace;
import io.minik8s.api.NamespaceStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;

/** Test objects, created {@code ageSeconds} before {@link MkctlHarness#NOW}. */
final class Objects {
  private Objects() {}

  static ObjectMeta meta(String namespace, String name, long ageSeconds) {
    return ObjectMeta.newBuilder().setNamespace(namespace).setName(name)
        .setCreationTimestamp(Timestamp.newBuilder().setSeconds(MkctlHarness.NOW.getEpochSecond() - ageSeconds))
        .build();
  }

  static Pod runningPod(String namespace, String name, long ageSeconds) {
    return Pod.newBuilder().setMetadata(meta(namespace, name, ageSeconds).toBuilder().putLabels("app", name))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1")
            .addContainers(Container.newBuilder().setName("main").setImage("nginx")))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp("10.1.0.5")
            .addContainerStatuses(ContainerStatus.newBuilder().setName("main").setReady(true)
                .setState(ContainerState.newBuilder().setRunning(ContainerStateRunning.getDefaultInstance()))))
        .build();
  }

  static Namespace namespace(String name, long ageSeconds) {
    return Namespace.newBuilder().setMetadata(meta("", name, ageSeconds))
        .setStatus(NamespaceStatus.newBuilder().setPhase("Active")).build();
  }

  static Service service(String namespace, String name, long ageSeconds) {
    return Service.newBuilder().setMetadata(meta(namespace, name, ageSeconds))
        .setSpec(ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp("10.96.0.20").putSelector("app", name)
            .addPorts(ServicePort.newBuilder().setPort(80).setProtocol("TCP")))
        .build();
  }
}
