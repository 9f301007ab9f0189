package io.minik8s.controllermanager.testing;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import java.time.Instant;
import java.util.Map;

/** Builders of the objects controller tests seed their caches with. */
public final class Fixtures {
  public static final String NS = "default";

  private Fixtures() {}

  public static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return PodTemplateSpec.newBuilder().setMetadata(ObjectMeta.newBuilder().putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage(image)))
        .build();
  }

  public static ReplicaSet replicaSet(String name, int replicas, Map<String, String> labels) {
    return ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name)
            .setGeneration(1).setResourceVersion("10"))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(replicas)
            .setSelector(LabelSelector.newBuilder().putAllMatchLabels(labels))
            .setTemplate(template(labels, "busybox")))
        .build();
  }

  /** A pod created at {@code created}, with {@code labels}, controlled by {@code owner} when not null. */
  public static Pod pod(String name, Map<String, String> labels, OwnerReference owner, Instant created) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name)
        .setResourceVersion("20").putAllLabels(labels).setCreationTimestamp(ts(created));
    if (owner != null) {
      m.addOwnerReferences(owner);
    }
    return Pod.newBuilder().setMetadata(m).setStatus(PodStatus.newBuilder().setPhase("Pending")).build();
  }

  /** {@code pod} bound to {@code node}, Running, Ready since {@code readySince} (not ready when null). */
  public static Pod running(Pod pod, String node, Instant readySince) {
    PodStatus.Builder s = PodStatus.newBuilder().setPhase("Running");
    if (readySince != null) {
      s.addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")
          .setLastTransitionTime(ts(readySince)));
    } else {
      s.addConditions(PodCondition.newBuilder().setType("Ready").setStatus("False"));
    }
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().setNodeName(node)).setStatus(s).build();
  }
}
