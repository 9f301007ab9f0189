package io.minik8s.client.printers;

import io.minik8s.api.Namespace;
import java.time.Clock;
import java.util.List;

/** {@code NAME STATUS AGE}. */
final class NamespacePrinter implements TablePrinter<Namespace> {
  private final AgeColumn age;

  NamespacePrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    return List.of("NAME", "STATUS", "AGE");
  }

  @Override
  public List<String> row(Namespace namespace, boolean wide) {
    return List.of(namespace.getMetadata().getName(), namespace.getStatus().getPhase(),
        age.of(namespace.getMetadata()));
  }
}
