package io.minik8s.apiserver.registry;

import io.minik8s.api.Namespace;
import java.util.Optional;

/**
 * The API server's cached view of namespaces (in practice its watch cache of them), which admission reads
 * instead of etcd on every create. It may lag etcd by the watch's delay, never lead it; empty means "not
 * known here", never "does not exist".
 */
@FunctionalInterface
public interface NamespaceCache {
  /** The namespace as cached, or empty when the cache does not have it (or is not loaded). */
  Optional<Namespace> find(String name);

  /** No cache: admission always reads etcd. */
  static NamespaceCache none() {
    return name -> Optional.empty();
  }
}
