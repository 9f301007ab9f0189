package io.minik8s.client.printers;

import io.minik8s.api.Deployment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code NAME READY UP-TO-DATE AVAILABLE AGE}; wide adds {@code CONTAINERS IMAGES SELECTOR}. */
final class DeploymentPrinter implements TablePrinter<Deployment> {
  private final AgeColumn age;

  DeploymentPrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    List<String> columns = new ArrayList<>(List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"));
    if (wide) {
      columns.addAll(List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }
    return columns;
  }

  @Override
  public List<String> row(Deployment deployment, boolean wide) {
    int desired = deployment.getSpec().hasReplicas() ? deployment.getSpec().getReplicas() : 1;
    List<String> row = new ArrayList<>(List.of(deployment.getMetadata().getName(),
        deployment.getStatus().getReadyReplicas() + "/" + desired,
        Integer.toString(deployment.getStatus().getUpdatedReplicas()),
        Integer.toString(deployment.getStatus().getAvailableReplicas()),
        age.of(deployment.getMetadata())));
    if (wide) {
      row.add(Cells.containerNames(deployment.getSpec().getTemplate().getSpec().getContainersList()));
      row.add(Cells.images(deployment.getSpec().getTemplate().getSpec().getContainersList()));
      row.add(Cells.selector(deployment.getSpec().getSelector()));
    }
    return row;
  }
}
