package io.minik8s.apiserver.registry;

import io.minik8s.client.api.Kind;

/**
 * The etcd key layout, as Kubernetes': {@code /registry/<resource>/<namespace>/<name>} for namespaced
 * kinds and {@code /registry/<resource>/<name>} for cluster-scoped ones.
 */
public final class Keys {
  public static final String ROOT = "/registry/";

  private Keys() {}

  public static String key(Kind<?> kind, String namespace, String name) {
    return kind.namespaced() ? ROOT + kind.resource() + "/" + namespace + "/" + name : ROOT + kind.resource() + "/" + name;
  }

  /** The prefix of every object of the kind, or of those in one namespace when {@code namespace} is not empty. */
  public static String prefix(Kind<?> kind, String namespace) {
    if (kind.namespaced() && namespace != null && !namespace.isEmpty()) {
      return ROOT + kind.resource() + "/" + namespace + "/";
    }
    return ROOT + kind.resource() + "/";
  }
}
