package io.minik8s.client.printers;

import io.minik8s.api.Pod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code NAME READY STATUS RESTARTS AGE}; wide adds {@code IP NODE NOMINATED NODE READINESS GATES}. */
final class PodPrinter implements TablePrinter<Pod> {
  private final AgeColumn age;

  PodPrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    List<String> columns = new ArrayList<>(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
    if (wide) {
      columns.addAll(List.of("IP", "NODE", "NOMINATED NODE", "READINESS GATES"));
    }
    return columns;
  }

  @Override
  public List<String> row(Pod pod, boolean wide) {
    List<String> row = new ArrayList<>(List.of(pod.getMetadata().getName(), PodStatusColumn.ready(pod),
        PodStatusColumn.status(pod), PodStatusColumn.restarts(pod), age.of(pod.getMetadata())));
    if (wide) {
      row.add(Cells.orNone(pod.getStatus().getPodIp()));
      row.add(Cells.orNone(pod.getSpec().getNodeName()));
      row.add(Cells.orNone(pod.getStatus().getNominatedNodeName()));
      row.add(Cells.NONE);
    }
    return row;
  }
}
