package io.minik8s.scheduler;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Real API objects for tests, built the way the API server would store them. */
public final class TestObjects {
  private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000L);

  private TestObjects() {}

  /** A Ready node with allocatable {@code cpu}, {@code memory} and {@code pods}. */
  public static Node node(String name, String cpu, String memory, String pods) {
    return Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setUid("uid-" + name)
            .putLabels("kubernetes.io/hostname", name))
        .setStatus(io.minik8s.api.NodeStatus.newBuilder()
            .putAllocatable("cpu", cpu).putAllocatable("memory", memory).putAllocatable("pods", pods)
            .putCapacity("cpu", cpu).putCapacity("memory", memory).putCapacity("pods", pods)
            .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True")))
        .build();
  }

  public static Node node(String name) {
    return node(name, "2", "4Gi", "110");
  }

  public static Node withTaints(Node node, Taint... taints) {
    return node.toBuilder().setSpec(node.getSpec().toBuilder().addAllTaints(Arrays.asList(taints))).build();
  }

  public static Taint taint(String key, String value, String effect) {
    return Taint.newBuilder().setKey(key).setValue(value).setEffect(effect).build();
  }

  public static Toleration toleration(String key, String operator, String value, String effect) {
    return Toleration.newBuilder().setKey(key).setOperator(operator).setValue(value).setEffect(effect).build();
  }

  /** A pending pod in {@code default} with one container requesting {@code cpu} and {@code memory} (null: none). */
  public static Pod pod(String name, String cpu, String memory) {
    ResourceRequirements.Builder r = ResourceRequirements.newBuilder();
    if (cpu != null) {
      r.putRequests("cpu", cpu);
    }
    if (memory != null) {
      r.putRequests("memory", memory);
    }
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid("uid-" + name)
            .setResourceVersion("1")
            .setCreationTimestamp(Timestamp.newBuilder().setSeconds(CLOCK.incrementAndGet())))
        .setSpec(PodSpec.newBuilder().setSchedulerName("default-scheduler")
            .addContainers(Container.newBuilder().setName("c").setImage("busybox").setResources(r)))
        .setStatus(PodStatus.newBuilder().setPhase("Pending"))
        .build();
  }

  public static Pod pod(String name) {
    return pod(name, null, null);
  }

  public static Pod boundTo(Pod pod, String node) {
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().setNodeName(node)).build();
  }

  public static Pod withTolerations(Pod pod, Toleration... tolerations) {
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().addAllTolerations(Arrays.asList(tolerations))).build();
  }

  public static Pod withHostPort(Pod pod, String hostIp, String protocol, int port) {
    PodSpec.Builder spec = pod.getSpec().toBuilder();
    spec.setContainers(0, spec.getContainers(0).toBuilder().addPorts(ContainerPort.newBuilder()
        .setContainerPort(port).setHostPort(port).setHostIp(hostIp).setProtocol(protocol)));
    return pod.toBuilder().setSpec(spec).build();
  }

  public static Pod ownedBy(Pod pod, String controllerUid) {
    return pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().addOwnerReferences(OwnerReference.newBuilder()
        .setApiVersion("apps/v1").setKind("ReplicaSet").setName("rs").setUid(controllerUid).setController(true)))
        .build();
  }

  public static NodeInfo nodeInfo(Node node, Pod... pods) {
    return NodeInfo.of(node, Arrays.stream(pods).map(PodInfo::of).toList());
  }

  public static PodInfo info(Pod pod) {
    return PodInfo.of(pod);
  }

  public static List<PodInfo> infos(Pod... pods) {
    return Arrays.stream(pods).map(PodInfo::of).toList();
  }
}
