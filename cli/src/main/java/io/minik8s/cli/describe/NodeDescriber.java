package io.minik8s.cli.describe;

import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSystemInfo;
import io.minik8s.api.Pod;
import io.minik8s.api.Taint;
import io.minik8s.client.printers.HumanDuration;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Nodes: roles, taints, conditions, addresses, capacity, allocatable, system info, its pods, events. */
final class NodeDescriber implements Describer<Node> {
  @Override
  public void describe(Node node, DescribeWriter w, DescribeContext context) {
    w.line(0, "Name:", node.getMetadata().getName());
    w.line(0, "Roles:", roles(node));
    Sections.labels(w, 0, "Labels", node.getMetadata().getLabelsMap());
    Sections.annotations(w, 0, node.getMetadata().getAnnotationsMap());
    w.line(0, "CreationTimestamp:", context.time(node.getMetadata().getCreationTimestamp()));
    taints(w, node.getSpec().getTaintsList());
    w.line(0, "Unschedulable:", Boolean.toString(node.getSpec().getUnschedulable()));
    w.line(0, "Conditions:");
    w.line(1, "Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message");
    w.line(1, "----", "------", "-----------------", "------------------", "------", "-------");
    for (NodeCondition c : node.getStatus().getConditionsList()) {
      w.line(1, c.getType(), c.getStatus(), context.time(c.getLastHeartbeatTime()),
          context.time(c.getLastTransitionTime()), c.getReason(), c.getMessage());
    }
    w.line(0, "Addresses:");
    for (NodeAddress address : node.getStatus().getAddressesList()) {
      w.line(1, address.getType() + ":", address.getAddress());
    }
    resources(w, "Capacity", node.getStatus().getCapacityMap());
    resources(w, "Allocatable", node.getStatus().getAllocatableMap());
    NodeSystemInfo info = node.getStatus().getNodeInfo();
    w.line(0, "System Info:");
    w.line(1, "Machine ID:", info.getMachineId());
    w.line(1, "System UUID:", info.getSystemUuid());
    w.line(1, "Boot ID:", info.getBootId());
    w.line(1, "Kernel Version:", info.getKernelVersion());
    w.line(1, "OS Image:", info.getOsImage());
    w.line(1, "Operating System:", info.getOperatingSystem());
    w.line(1, "Architecture:", info.getArchitecture());
    w.line(1, "Container Runtime Version:", info.getContainerRuntimeVersion());
    w.line(1, "Kubelet Version:", info.getKubeletVersion());
    w.line(1, "Kube-Proxy Version:", info.getKubeProxyVersion());
    if (!node.getSpec().getPodCidr().isEmpty()) {
      w.line(0, "PodCIDR:", node.getSpec().getPodCidr());
    }
    if (node.getSpec().getPodCidrsCount() > 0) {
      w.line(0, "PodCIDRs:", String.join(",", node.getSpec().getPodCidrsList()));
    }
    if (!node.getSpec().getProviderId().isEmpty()) {
      w.line(0, "ProviderID:", node.getSpec().getProviderId());
    }
    pods(w, node, context);
    Sections.events(w, Kinds.NODE, node.getMetadata(), context);
  }

  private static String roles(Node node) {
    List<String> roles = new ArrayList<>();
    for (String key : new TreeMap<>(node.getMetadata().getLabelsMap()).keySet()) {
      if (key.startsWith("node-role.kubernetes.io/") && key.length() > "node-role.kubernetes.io/".length()) {
        roles.add(key.substring("node-role.kubernetes.io/".length()));
      }
    }
    String legacy = node.getMetadata().getLabelsOrDefault("kubernetes.io/role", "");
    if (!legacy.isEmpty() && !roles.contains(legacy)) {
      roles.add(legacy);
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static void taints(DescribeWriter w, List<Taint> taints) {
    if (taints.isEmpty()) {
      w.line(0, "Taints:", "<none>");
      return;
    }
    boolean first = true;
    for (Taint t : taints) {
      String text = t.getKey() + (t.getValue().isEmpty() ? "" : "=" + t.getValue()) + ":" + t.getEffect();
      w.line(0, first ? "Taints:" : "", text);
      first = false;
    }
  }

  private static void resources(DescribeWriter w, String title, Map<String, String> values) {
    w.line(0, title + ":");
    new TreeMap<>(values).forEach((k, v) -> w.line(1, k + ":", v));
  }

  /** The pods bound to the node that have not finished, found by the field selector the kubelet uses. */
  private static void pods(DescribeWriter w, Node node, DescribeContext context) {
    List<Pod> pods = new ArrayList<>();
    try {
      for (Pod pod : context.client().list(Kinds.POD,
          ListOptions.ALL.withFieldSelector("spec.nodeName=" + node.getMetadata().getName())).items()) {
        String phase = pod.getStatus().getPhase();
        if (pod.getSpec().getNodeName().equals(node.getMetadata().getName())
            && !phase.equals("Succeeded") && !phase.equals("Failed")) {
          pods.add(pod);
        }
      }
    } catch (ApiException e) {
      return;
    }
    w.line(0, "Non-terminated Pods:", "(" + pods.size() + " in total)");
    if (pods.isEmpty()) {
      return;
    }
    w.line(1, "Namespace", "Name", "CPU Requests", "Memory Requests", "Age");
    w.line(1, "---------", "----", "------------", "---------------", "---");
    for (Pod pod : pods) {
      w.line(1, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), requests(pod, "cpu"),
          requests(pod, "memory"), HumanDuration.since(pod.getMetadata().getCreationTimestamp(), context.now()));
    }
  }

  private static String requests(Pod pod, String resource) {
    List<String> values = new ArrayList<>();
    pod.getSpec().getContainersList().forEach(c -> {
      String v = c.getResources().getRequestsMap().get(resource);
      if (v != null) {
        values.add(v);
      }
    });
    return values.isEmpty() ? "0" : String.join("+", values);
  }
}
