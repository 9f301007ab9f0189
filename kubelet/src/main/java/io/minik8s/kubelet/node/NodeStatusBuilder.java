package io.minik8s.kubelet.node;

import io.minik8s.api.DaemonEndpoint;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeDaemonEndpoints;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.NodeSystemInfo;
import io.minik8s.api.ObjectMeta;
import io.minik8s.kubelet.Timestamps;
import io.minik8s.kubelet.cri.RuntimeHealth;
import io.minik8s.kubelet.cri.RuntimeVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Node object a kubelet publishes, as pure functions of the host, the flags and the runtime's
 * answers: labels, spec.podCIDR, and a status with capacity (= allocatable: nothing is reserved),
 * addresses, nodeInfo, the log server's port and the conditions. Ready is True while the runtime
 * answers and reports RuntimeReady and NetworkReady; the pressure conditions are always False (the
 * kubelet does not evict). Every condition's heartbeat is {@code now}; its transition time carries
 * over from the previous status while its value is unchanged.
 */
public final class NodeStatusBuilder {
  public static final String MAX_PODS = "110";

  private NodeStatusBuilder() {}

  public static Map<String, String> labels(NodeConfig config, HostInfo host) {
    return Map.of("kubernetes.io/hostname", config.nodeName(), "kubernetes.io/os", "linux",
        "kubernetes.io/arch", host.architecture());
  }

  /** A new Node: metadata, spec and status. */
  public static Node newNode(NodeConfig config, HostInfo host, Optional<RuntimeVersion> version,
      RuntimeCheck runtime, Instant now) {
    NodeSpec.Builder spec = NodeSpec.newBuilder();
    if (!config.podCidr().isEmpty()) {
      spec.setPodCidr(config.podCidr()).addPodCidrs(config.podCidr());
    }
    return Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(config.nodeName()).putAllLabels(labels(config, host)))
        .setSpec(spec)
        .setStatus(status(config, host, version, runtime, List.of(), now))
        .build();
  }

  /**
   * An existing Node adopted by this kubelet: its labels gain ours (ours win), and its podCIDR is set
   * if it has none. Returns the node unchanged when nothing differs.
   */
  public static Node adopt(Node existing, NodeConfig config, HostInfo host) {
    Node.Builder b = existing.toBuilder();
    b.getMetadataBuilder().putAllLabels(labels(config, host));
    if (existing.getSpec().getPodCidr().isEmpty() && !config.podCidr().isEmpty()) {
      b.getSpecBuilder().setPodCidr(config.podCidr()).clearPodCidrs().addPodCidrs(config.podCidr());
    }
    return b.build();
  }

  /** What the runtime said at the last check. */
  public record RuntimeCheck(RuntimeHealth health, String error) {
    public static RuntimeCheck failed(String error) {
      return new RuntimeCheck(null, error);
    }

    public boolean ready() {
      return health != null && health.ready();
    }

    String message() {
      if (health == null) {
        return "container runtime is down: " + error;
      }
      return health.ready() ? "kubelet is posting ready status" : "container runtime not ready: " + health.message();
    }
  }

  public static NodeStatus status(NodeConfig config, HostInfo host, Optional<RuntimeVersion> version,
      RuntimeCheck runtime, List<NodeCondition> previous, Instant now) {
    Map<String, String> capacity = Map.of("cpu", Integer.toString(host.cpuCores()),
        "memory", host.memoryKi() + "Ki", "pods", MAX_PODS);
    NodeSystemInfo.Builder info = NodeSystemInfo.newBuilder()
        .setMachineId(host.machineId()).setSystemUuid(host.systemUuid()).setBootId(host.bootId())
        .setKernelVersion(host.kernelVersion()).setOsImage(host.osImage())
        .setKubeletVersion(config.kubeletVersion()).setOperatingSystem("linux")
        .setArchitecture(host.architecture());
    version.ifPresent(v -> info.setContainerRuntimeVersion(v.runtimeName() + "://" + v.runtimeVersion()));
    return NodeStatus.newBuilder()
        .putAllCapacity(capacity)
        .putAllAllocatable(capacity)
        .addConditions(condition(previous, "MemoryPressure", false, "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available", now))
        .addConditions(condition(previous, "DiskPressure", false, "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure", now))
        .addConditions(condition(previous, "PIDPressure", false, "KubeletHasSufficientPID",
            "kubelet has sufficient PID available", now))
        .addConditions(condition(previous, "Ready", runtime.ready(),
            runtime.ready() ? "KubeletReady" : "KubeletNotReady", runtime.message(), now))
        .addAddresses(NodeAddress.newBuilder().setType("InternalIP").setAddress(host.nodeIp()))
        .addAddresses(NodeAddress.newBuilder().setType("Hostname").setAddress(config.nodeName()))
        .setNodeInfo(info)
        .setDaemonEndpoints(NodeDaemonEndpoints.newBuilder()
            .setKubeletEndpoint(DaemonEndpoint.newBuilder().setPort(config.logPort())))
        .build();
  }

  /**
   * Whether two statuses say the same once the conditions' heartbeat times are left out: if so, writing
   * the newer one would only prove the kubelet alive, which the Lease does more cheaply.
   */
  public static boolean sameIgnoringHeartbeats(NodeStatus a, NodeStatus b) {
    return withoutHeartbeats(a).equals(withoutHeartbeats(b));
  }

  private static NodeStatus withoutHeartbeats(NodeStatus s) {
    NodeStatus.Builder b = s.toBuilder();
    for (NodeCondition.Builder c : b.getConditionsBuilderList()) {
      c.clearLastHeartbeatTime();
    }
    return b.build();
  }

  private static NodeCondition condition(List<NodeCondition> previous, String type, boolean value, String reason,
      String message, Instant now) {
    String status = value ? "True" : "False";
    NodeCondition.Builder c = NodeCondition.newBuilder().setType(type).setStatus(status).setReason(reason)
        .setMessage(message).setLastHeartbeatTime(Timestamps.seconds(now));
    Optional<NodeCondition> old = previous.stream().filter(p -> p.getType().equals(type)).findFirst();
    c.setLastTransitionTime(old.isPresent() && old.get().getStatus().equals(status) && old.get().hasLastTransitionTime()
        ? old.get().getLastTransitionTime() : Timestamps.seconds(now));
    return c.build();
  }
}
