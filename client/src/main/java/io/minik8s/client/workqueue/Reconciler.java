package io.minik8s.client.workqueue;

/**
 * One controller's logic: make the world match the desired state of the object named by {@code key}.
 *
 * <p>Level-based: it reads the current state (from informer caches) instead of reacting to an event,
 * so a missed event or a restart cannot leave it wrong, and it must be idempotent. It is never called
 * for the same key by two threads at once; it may be called concurrently for different keys.
 *
 * @param <K> the key type, usually {@code "namespace/name"}
 */
@FunctionalInterface
public interface Reconciler<K> {
  /**
   * @return what to do next with the key
   * @throws Exception to have the key retried with per-key exponential back-off
   */
  Result reconcile(K key) throws Exception;
}
