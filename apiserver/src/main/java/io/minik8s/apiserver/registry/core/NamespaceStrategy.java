package io.minik8s.apiserver.registry.core;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.Namespace;
import io.minik8s.api.NamespaceStatus;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

public final class NamespaceStrategy implements ResourceStrategy<Namespace> {
  /** The finalizer that holds a deleted namespace until everything in it is gone. */
  public static final String FINALIZER = "kubernetes";

  @Override
  public Kind<Namespace> kind() {
    return Kinds.NAMESPACE;
  }

  @Override
  public List<String> validateName(String name) {
    return NameRules.dns1123Label(name);
  }

  @Override
  public Namespace prepareForCreate(Namespace ns) {
    return ns.toBuilder()
        .setSpec(ns.getSpec().toBuilder().clearFinalizers().addFinalizers(FINALIZER))
        .setStatus(NamespaceStatus.newBuilder().setPhase("Active"))
        .build();
  }
}
