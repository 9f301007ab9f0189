package io.minik8s.apiserver.storage;

import java.util.function.Supplier;

/**
 * The encodings of one change's events, made once and shared by every watcher that receives the same
 * event: the first watcher to send it encodes it for its wire, the others reuse the result (Kubernetes'
 * watch cache does the same with its "caching object"), so the cost of encoding does not grow with the
 * number of watchers.
 *
 * <p>Keyed by the wire's own format key and the event type: one change gives at most one object per event
 * type (see {@link CacheWatcher#eventFor}), so the pair names one encoding. Kept as long as the change is
 * in the cache's window.
 *
 * <p>Thread-safe: watchers of one change deliver on different threads; the first encodes under this
 * object's lock while the others wait for its result.
 */
public final class SharedEncodings {
  private Object[] entries = new Object[0]; // guarded by this: (format, type, value) triples

  /** The encoding of the event of {@code type} in {@code format}, made by {@code encode} on first use. */
  @SuppressWarnings("unchecked")
  public synchronized <V> V computeIfAbsent(Object format, WatchCache.EventType type, Supplier<V> encode) {
    for (int i = 0; i < entries.length; i += 3) {
      if (entries[i] == format && entries[i + 1] == type) {
        return (V) entries[i + 2];
      }
    }
    V value = encode.get();
    Object[] grown = java.util.Arrays.copyOf(entries, entries.length + 3);
    grown[entries.length] = format;
    grown[entries.length + 1] = type;
    grown[entries.length + 2] = value;
    entries = grown;
    return value;
  }
}
