package io.minik8s.client.printers;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Clock;

/** The {@link TablePrinter} of each kind. */
public final class TablePrinters {
  private TablePrinters() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> TablePrinter<T> forKind(Kind<T> kind, Clock clock) {
    TablePrinter<?> printer;
    if (kind == Kinds.POD) {
      printer = new PodPrinter(clock);
    } else if (kind == Kinds.NAMESPACE) {
      printer = new NamespacePrinter(clock);
    } else if (kind == Kinds.NODE) {
      printer = new NodePrinter(clock);
    } else if (kind == Kinds.SERVICE) {
      printer = new ServicePrinter(clock);
    } else if (kind == Kinds.ENDPOINTS) {
      printer = new EndpointsPrinter(clock);
    } else if (kind == Kinds.DEPLOYMENT) {
      printer = new DeploymentPrinter(clock);
    } else if (kind == Kinds.REPLICA_SET) {
      printer = new ReplicaSetPrinter(clock);
    } else if (kind == Kinds.LEASE) {
      printer = new LeasePrinter(clock);
    } else if (kind == Kinds.EVENT) {
      printer = new EventPrinter(clock);
    } else {
      throw new IllegalArgumentException("no table printer for " + kind);
    }
    return (TablePrinter<T>) printer;
  }
}
