package io.minik8s.client.printers;

import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.NodeCondition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code NAME STATUS ROLES AGE VERSION}; wide adds addresses and system info.
 *
 * <p>STATUS is {@code Ready}, {@code NotReady} (Ready condition False or Unknown) or {@code Unknown}
 * (no Ready condition), followed by {@code ,SchedulingDisabled} for a cordoned node.
 */
final class NodePrinter implements TablePrinter<Node> {
  static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
  static final String ROLE_LABEL = "kubernetes.io/role";

  private final AgeColumn age;

  NodePrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    List<String> columns = new ArrayList<>(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"));
    if (wide) {
      columns.addAll(List.of("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"));
    }
    return columns;
  }

  @Override
  public List<String> row(Node node, boolean wide) {
    List<String> row = new ArrayList<>(List.of(node.getMetadata().getName(), status(node), roles(node),
        age.of(node.getMetadata()), node.getStatus().getNodeInfo().getKubeletVersion()));
    if (wide) {
      row.add(Cells.orNone(address(node, "InternalIP")));
      row.add(Cells.orNone(address(node, "ExternalIP")));
      row.add(Cells.orNone(node.getStatus().getNodeInfo().getOsImage()));
      row.add(Cells.orNone(node.getStatus().getNodeInfo().getKernelVersion()));
      row.add(Cells.orNone(node.getStatus().getNodeInfo().getContainerRuntimeVersion()));
    }
    return row;
  }

  static String status(Node node) {
    String status = "Unknown";
    for (NodeCondition condition : node.getStatus().getConditionsList()) {
      if (condition.getType().equals("Ready")) {
        status = condition.getStatus().equals("True") ? "Ready" : "NotReady";
      }
    }
    return node.getSpec().getUnschedulable() ? status + ",SchedulingDisabled" : status;
  }

  /** From {@code node-role.kubernetes.io/<role>} labels and the {@code kubernetes.io/role} label, sorted. */
  static String roles(Node node) {
    TreeSet<String> roles = new TreeSet<>();
    for (Map.Entry<String, String> label : node.getMetadata().getLabelsMap().entrySet()) {
      if (label.getKey().startsWith(ROLE_LABEL_PREFIX) && label.getKey().length() > ROLE_LABEL_PREFIX.length()) {
        roles.add(label.getKey().substring(ROLE_LABEL_PREFIX.length()));
      } else if (label.getKey().equals(ROLE_LABEL) && !label.getValue().isEmpty()) {
        roles.add(label.getValue());
      }
    }
    return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
  }

  private static String address(Node node, String type) {
    for (NodeAddress address : node.getStatus().getAddressesList()) {
      if (address.getType().equals(type)) {
        return address.getAddress();
      }
    }
    return "";
  }
}
