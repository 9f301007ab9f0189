package io.minik8s.kubelet.testing;

import io.minik8s.api.Container;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import java.util.UUID;

/** Pods for tests, as the API server would store them (defaults applied, bound to node-1). */
public final class Pods {
  public static final String IMAGE = "localhost/busybox:latest";

  private Pods() {}

  public static Container container(String name, String... command) {
    return Container.newBuilder().setName(name).setImage(IMAGE).setImagePullPolicy("IfNotPresent")
        .addAllCommand(java.util.List.of(command)).build();
  }

  public static Pod pod(String name, String restartPolicy, Container... containers) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default")
            .setUid(UUID.randomUUID().toString()).setResourceVersion("1"))
        .setSpec(PodSpec.newBuilder().setRestartPolicy(restartPolicy).setNodeName("node-1")
            .setTerminationGracePeriodSeconds(30).addAllContainers(java.util.List.of(containers)))
        .setStatus(PodStatus.newBuilder().setPhase("Pending").setQosClass("BestEffort"))
        .build();
  }
}
