package io.minik8s.apiserver.registry;

/** Admission of new objects into a namespace: it must exist and must not be terminating. */
public interface NamespaceLifecycle {
  /** Throws NotFound for a missing namespace, Forbidden for a terminating one. */
  void admitCreate(String namespace);
}
