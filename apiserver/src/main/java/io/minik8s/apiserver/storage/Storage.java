package io.minik8s.apiserver.storage;

import java.util.List;
import java.util.Optional;

/**
 * The key-value store under the API server: etcd's model (a revision that grows with every write,
 * a mod revision per key, compare-and-swap on it). Keys and values are opaque here; the registry
 * above decides what they mean.
 *
 * <p>Every method throws {@link io.minik8s.client.api.ApiException}: {@code AlreadyExists} and
 * {@code Conflict} as documented, {@code ServiceUnavailable} while the store cannot be reached,
 * {@code Expired} for a revision that has been compacted.
 */
public interface Storage extends AutoCloseable {

  /** One key's value and the revision that last wrote it. */
  record Entry(String key, byte[] value, long modRevision) {}

  /** A page of a range read, consistent at {@code revision}. */
  record Page(List<Entry> entries, long revision, boolean more) {}

  /** A change to one key. {@code value} is null for a deletion; {@code prevValue} when known. */
  record Change(String key, byte[] value, byte[] prevValue, long modRevision, boolean deleted) {}

  /** Receives the changes of a watch, in revision order, on one thread at a time. */
  interface ChangeListener {
    void onChanges(List<Change> changes);

    /**
     * Every change under the prefix up to {@code revision} has been delivered (etcd's progress
     * notification, sent while nothing changes under the prefix). Called on the same thread
     * discipline as {@link #onChanges}; the default ignores it.
     */
    default void onProgress(long revision) {}

    /** The watch has ended for good (compacted start revision, store closed). Not called on cancel. */
    void onError(RuntimeException error);
  }

  /** A running watch. */
  interface WatchHandle extends AutoCloseable {
    @Override
    void close();
  }

  Optional<Entry> get(String key);

  /**
   * Keys starting with {@code prefix}, in key order, beginning after {@code startAfterKey} (when not
   * empty), at most {@code limit} (0: all), read at {@code revision} (0: the latest).
   */
  Page list(String prefix, String startAfterKey, long limit, long revision);

  /** Writes a key that must not exist; returns the new revision. AlreadyExists otherwise. */
  long create(String key, byte[] value);

  /** Writes a key whose mod revision must be {@code expectedModRevision}; returns the new revision. Conflict otherwise (NotFound when the key is gone). */
  long update(String key, byte[] value, long expectedModRevision);

  /**
   * The outcome of a compare-and-swap: the revision written, or, when the key had moved on, what it holds
   * now (empty when it is gone), so that a caller can retry without reading it again.
   */
  record Swap(boolean swapped, long revision, Optional<Entry> current) {
    public static Swap done(long revision) {
      return new Swap(true, revision, Optional.empty());
    }

    public static Swap failed(Optional<Entry> current) {
      return new Swap(false, 0, current);
    }
  }

  /**
   * Writes a key whose mod revision must be {@code expectedModRevision}, like {@link #update}, but a
   * key that moved on (or is gone) is an answer, not an error: the {@link Swap} carries what the key holds
   * now. Implementations should read it in the same round trip (etcd: the transaction's else branch);
   * the default asks again.
   */
  default Swap compareAndSwap(String key, byte[] value, long expectedModRevision) {
    try {
      return Swap.done(update(key, value, expectedModRevision));
    } catch (io.minik8s.client.api.ApiException e) {
      if (e.isConflict() || e.isNotFound()) {
        return Swap.failed(get(key));
      }
      throw e;
    }
  }

  /** Deletes a key whose mod revision must be {@code expectedModRevision}; returns the revision of the deletion. Conflict or NotFound otherwise. */
  long delete(String key, long expectedModRevision);

  /** The store's current revision. */
  long currentRevision();

  /**
   * Watches every key under {@code prefix} from {@code fromRevision} (inclusive; must be greater than 0).
   * A compacted {@code fromRevision} gives {@code onError(Expired)}. A lost connection is retried
   * inside the implementation from the last delivered revision, so the listener sees every change
   * exactly once; only when that is impossible does it get {@code onError}.
   */
  WatchHandle watch(String prefix, long fromRevision, ChangeListener listener);

  /** True when the store answered a request recently (for /readyz). */
  boolean isHealthy();

  @Override
  void close();
}
