package io.minik8s.controllermanager.garbagecollector;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Store;

/**
 * The garbage collector's work-queue key, {@code "<resource>/<namespace>/<name>"} or
 * {@code "<resource>/<name>"} for cluster-scoped kinds: it names the kind as well, since the collector
 * handles every kind in one queue.
 */
record ObjectKey(Kind<?> kind, String storeKey) {
  static String of(Message object) {
    return Kinds.of(object).resource() + "/" + Store.keyOf(object);
  }

  static String of(Kind<?> kind, String namespace, String name) {
    return kind.resource() + "/" + Store.key(kind.namespaced() ? namespace : "", name);
  }

  /** @throws IllegalArgumentException for a key of no known kind */
  static ObjectKey parse(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a garbage collector key: " + key);
    }
    Kind<?> kind = Kinds.byResource(key.substring(0, slash))
        .orElseThrow(() -> new IllegalArgumentException("unknown resource in key " + key));
    return new ObjectKey(kind, key.substring(slash + 1));
  }
}
