package io.minik8s.client.printers;

import io.minik8s.api.Lease;
import java.time.Clock;
import java.util.List;

/** {@code NAME HOLDER AGE}. */
final class LeasePrinter implements TablePrinter<Lease> {
  private final AgeColumn age;

  LeasePrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    return List.of("NAME", "HOLDER", "AGE");
  }

  @Override
  public List<String> row(Lease lease, boolean wide) {
    return List.of(lease.getMetadata().getName(), lease.getSpec().getHolderIdentity(), age.of(lease.getMetadata()));
  }
}
