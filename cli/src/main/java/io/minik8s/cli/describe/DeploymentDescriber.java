package io.minik8s.cli.describe;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.IntOrString;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.printers.Cells;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Deployments: selector, the Replicas line, strategy, pod template, conditions, replica sets, events. */
final class DeploymentDescriber implements Describer<Deployment> {
  static final String REVISION = "deployment.kubernetes.io/revision";

  @Override
  public void describe(Deployment deployment, DescribeWriter w, DescribeContext context) {
    Sections.header(w, Kinds.DEPLOYMENT, deployment.getMetadata(), context);
    w.line(0, "Selector:", Cells.selector(deployment.getSpec().getSelector()));
    DeploymentStatus status = deployment.getStatus();
    int desired = deployment.getSpec().hasReplicas() ? deployment.getSpec().getReplicas() : 1;
    w.line(0, "Replicas:", desired + " desired | " + status.getUpdatedReplicas() + " updated | "
        + status.getReplicas() + " total | " + status.getAvailableReplicas() + " available | "
        + status.getUnavailableReplicas() + " unavailable");
    String strategy = deployment.getSpec().getStrategy().getType().isEmpty()
        ? "RollingUpdate" : deployment.getSpec().getStrategy().getType();
    w.line(0, "StrategyType:", strategy);
    w.line(0, "MinReadySeconds:", Integer.toString(deployment.getSpec().getMinReadySeconds()));
    if (strategy.equals("RollingUpdate")) {
      var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
      w.line(0, "RollingUpdateStrategy:", percent(rolling.hasMaxUnavailable() ? rolling.getMaxUnavailable() : null)
          + " max unavailable, " + percent(rolling.hasMaxSurge() ? rolling.getMaxSurge() : null) + " max surge");
    }
    Sections.podTemplate(w, deployment.getSpec().getTemplate(), context);
    if (status.getConditionsCount() > 0) {
      w.line(0, "Conditions:");
      w.line(1, "Type", "Status", "Reason");
      w.line(1, "----", "------", "------");
      for (DeploymentCondition c : status.getConditionsList()) {
        w.line(1, c.getType(), c.getStatus(), c.getReason());
      }
    }
    replicaSets(w, deployment, context);
    Sections.events(w, Kinds.DEPLOYMENT, deployment.getMetadata(), context);
  }

  private static String percent(IntOrString value) {
    if (value == null) {
      return "25%";
    }
    return value.hasStrVal() ? value.getStrVal() : Integer.toString(value.getIntVal());
  }

  /** The newest owned replica set (by revision) and the older ones that still have replicas. */
  private static void replicaSets(DescribeWriter w, Deployment deployment, DescribeContext context) {
    List<ReplicaSet> owned = new ArrayList<>();
    try {
      for (ReplicaSet rs : context.client().list(Kinds.REPLICA_SET,
          ListOptions.inNamespace(deployment.getMetadata().getNamespace())).items()) {
        for (OwnerReference owner : rs.getMetadata().getOwnerReferencesList()) {
          if (owner.getController() && owner.getUid().equals(deployment.getMetadata().getUid())) {
            owned.add(rs);
          }
        }
      }
    } catch (ApiException e) {
      return;
    }
    owned.sort(Comparator.comparingLong(DeploymentDescriber::revision)
        .thenComparingLong(rs -> rs.getMetadata().getCreationTimestamp().getSeconds()));
    ReplicaSet newest = owned.isEmpty() ? null : owned.get(owned.size() - 1);
    String old = owned.stream().filter(rs -> rs != newest)
        .filter(rs -> rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() > 0 : true)
        .map(DeploymentDescriber::summary).collect(Collectors.joining(", "));
    w.line(0, "OldReplicaSets:", old.isEmpty() ? "<none>" : old);
    w.line(0, "NewReplicaSet:", newest == null ? "<none>" : summary(newest));
  }

  private static long revision(ReplicaSet rs) {
    try {
      return Long.parseLong(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String summary(ReplicaSet rs) {
    int desired = rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
    return rs.getMetadata().getName() + " (" + rs.getStatus().getReplicas() + "/" + desired + " replicas created)";
  }
}
