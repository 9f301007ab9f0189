package io.minik8s.client.informer;

import io.minik8s.client.selector.LabelSelector;
import java.util.List;
import java.util.Optional;

/**
 * Read-only view of a {@link Store}: what controllers use to read the current state. Every call sees
 * one consistent state of the store; the objects returned are immutable and must not be modified.
 *
 * @param <T> the object type
 */
public interface Lister<T> {
  /** By key: {@code "namespace/name"}, or {@code "name"} for cluster-scoped kinds. */
  Optional<T> get(String key);

  /** By namespace and name (namespace empty or null for cluster-scoped kinds). */
  Optional<T> get(String namespace, String name);

  List<T> list();

  List<T> list(LabelSelector selector);

  List<T> listInNamespace(String namespace);

  List<T> listInNamespace(String namespace, LabelSelector selector);

  /** The objects whose index function gave {@code value} for the index {@code indexName}. */
  List<T> byIndex(String indexName, String value);
}
