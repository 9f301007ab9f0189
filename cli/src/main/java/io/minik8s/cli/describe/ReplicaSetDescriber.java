package io.minik8s.cli.describe;

import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.printers.Cells;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;

/** ReplicaSets: selector, owner, {@code 3 current / 3 desired}, the phases of its pods, template, events. */
final class ReplicaSetDescriber implements Describer<ReplicaSet> {
  @Override
  public void describe(ReplicaSet rs, DescribeWriter w, DescribeContext context) {
    Sections.header(w, Kinds.REPLICA_SET, rs.getMetadata(), context);
    w.line(0, "Selector:", Cells.selector(rs.getSpec().getSelector()));
    Sections.controlledBy(w, rs.getMetadata());
    int desired = rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
    w.line(0, "Replicas:", rs.getStatus().getReplicas() + " current / " + desired + " desired");
    podsStatus(w, rs, context);
    Sections.podTemplate(w, rs.getSpec().getTemplate(), context);
    Sections.events(w, Kinds.REPLICA_SET, rs.getMetadata(), context);
  }

  private static void podsStatus(DescribeWriter w, ReplicaSet rs, DescribeContext context) {
    int running = 0;
    int waiting = 0;
    int succeeded = 0;
    int failed = 0;
    try {
      for (Pod pod : context.client().list(Kinds.POD, ListOptions.inNamespace(rs.getMetadata().getNamespace())).items()) {
        if (!ownedBy(pod, rs)) {
          continue;
        }
        switch (pod.getStatus().getPhase()) {
          case "Running": running++; break;
          case "Succeeded": succeeded++; break;
          case "Failed": failed++; break;
          default: waiting++; break;
        }
      }
    } catch (ApiException e) {
      return;
    }
    w.line(0, "Pods Status:", running + " Running / " + waiting + " Waiting / " + succeeded + " Succeeded / "
        + failed + " Failed");
  }

  private static boolean ownedBy(Pod pod, ReplicaSet rs) {
    for (OwnerReference owner : pod.getMetadata().getOwnerReferencesList()) {
      if (owner.getController() && owner.getUid().equals(rs.getMetadata().getUid())) {
        return true;
      }
    }
    return false;
  }
}
