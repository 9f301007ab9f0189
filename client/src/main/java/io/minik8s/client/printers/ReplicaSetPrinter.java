package io.minik8s.client.printers;

import io.minik8s.api.ReplicaSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code NAME DESIRED CURRENT READY AGE}; wide adds {@code CONTAINERS IMAGES SELECTOR}. */
final class ReplicaSetPrinter implements TablePrinter<ReplicaSet> {
  private final AgeColumn age;

  ReplicaSetPrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    List<String> columns = new ArrayList<>(List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE"));
    if (wide) {
      columns.addAll(List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }
    return columns;
  }

  @Override
  public List<String> row(ReplicaSet replicaSet, boolean wide) {
    int desired = replicaSet.getSpec().hasReplicas() ? replicaSet.getSpec().getReplicas() : 1;
    List<String> row = new ArrayList<>(List.of(replicaSet.getMetadata().getName(), Integer.toString(desired),
        Integer.toString(replicaSet.getStatus().getReplicas()),
        Integer.toString(replicaSet.getStatus().getReadyReplicas()), age.of(replicaSet.getMetadata())));
    if (wide) {
      row.add(Cells.containerNames(replicaSet.getSpec().getTemplate().getSpec().getContainersList()));
      row.add(Cells.images(replicaSet.getSpec().getTemplate().getSpec().getContainersList()));
      row.add(Cells.selector(replicaSet.getSpec().getSelector()));
    }
    return row;
  }
}
