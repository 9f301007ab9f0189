package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import java.util.Optional;

/**
 * The API server's cached view of stored objects (in practice its watch caches), from which a
 * read-modify-write takes its starting point instead of reading etcd: the object is only a suggestion.
 * The write is a compare-and-swap on the suggested mod revision, so a cache that lags etcd costs a
 * conflict and a retry on etcd's current object, never a lost update. The cache may lag etcd, never lead it;
 * empty means "not known here", never "does not exist".
 */
@FunctionalInterface
public interface CachedObjects {
  /** An object as cached (resourceVersion set) and the etcd mod revision that wrote it. */
  record Cached(Message object, long modRevision) {}

  /** The object under storage key {@code key} of {@code kind}, or empty when the cache does not have it. */
  Optional<Cached> find(Kind<?> kind, String key);

  /** No cache: every read-modify-write reads etcd first. */
  static CachedObjects none() {
    return (kind, key) -> Optional.empty();
  }
}
