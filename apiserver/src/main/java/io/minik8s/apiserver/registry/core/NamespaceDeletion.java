package io.minik8s.apiserver.registry.core;

import io.minik8s.api.Namespace;
import io.minik8s.apiserver.registry.DeletionPolicy;
import io.minik8s.apiserver.registry.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * A deleted namespace turns Terminating and stays until the {@code kubernetes} finalizer in its
 * spec is removed, which {@link NamespaceFinalizer} does once the namespace is empty.
 */
public final class NamespaceDeletion implements DeletionPolicy<Namespace> {
  @Override
  public Optional<Namespace> markForDeletion(Namespace ns, Long grace, Instant now) {
    if (ns.getSpec().getFinalizersCount() == 0 && ns.getMetadata().getFinalizersCount() == 0) {
      return Optional.empty();
    }
    if (ns.getMetadata().hasDeletionTimestamp()) {
      return Optional.of(ns);
    }
    return Optional.of(ns.toBuilder()
        .setMetadata(ns.getMetadata().toBuilder().setDeletionTimestamp(Timestamps.seconds(now)).setDeletionGracePeriodSeconds(0))
        .setStatus(ns.getStatus().toBuilder().setPhase("Terminating"))
        .build());
  }

  @Override
  public boolean waitsForConfirmation(Namespace ns) {
    return ns.getSpec().getFinalizersCount() > 0;
  }
}
