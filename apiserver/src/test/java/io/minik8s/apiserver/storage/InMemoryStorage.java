package io.minik8s.apiserver.storage;

import io.minik8s.client.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Storage} in memory for unit tests of logic above it: revisions, compare-and-swap, history
 * with compaction, and watches that a test can break ({@link #endWatches}). Changes are delivered to
 * watches synchronously, on the writing thread. Lists are read at the latest revision only.
 */
final class InMemoryStorage implements Storage {
  private final TreeMap<String, Entry> data = new TreeMap<>();
  private final List<Change> history = new ArrayList<>();
  private final List<FakeWatch> watches = new ArrayList<>();
  private long revision = 1;
  private long compactedUpTo;

  private final class FakeWatch implements WatchHandle {
    final String prefix;
    final ChangeListener listener;

    FakeWatch(String prefix, ChangeListener listener) {
      this.prefix = prefix;
      this.listener = listener;
    }

    @Override
    public void close() {
      synchronized (InMemoryStorage.this) {
        watches.remove(this);
      }
    }
  }

  @Override
  public synchronized Optional<Entry> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  @Override
  public synchronized Page list(String prefix, String startAfterKey, long limit, long atRevision) {
    if (atRevision != 0 && atRevision != revision) {
      throw new UnsupportedOperationException("lists at an old revision");
    }
    List<Entry> entries = new ArrayList<>();
    boolean more = false;
    for (Map.Entry<String, Entry> e : data.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (!startAfterKey.isEmpty() && e.getKey().compareTo(startAfterKey) <= 0) {
        continue;
      }
      if (limit > 0 && entries.size() == limit) {
        more = true;
        break;
      }
      entries.add(e.getValue());
    }
    return new Page(entries, revision, more);
  }

  @Override
  public synchronized long create(String key, byte[] value) {
    if (data.containsKey(key)) {
      throw ApiException.of(ApiException.ALREADY_EXISTS, 409, key);
    }
    return write(key, value);
  }

  @Override
  public synchronized long update(String key, byte[] value, long expectedModRevision) {
    check(key, expectedModRevision);
    return write(key, value);
  }

  @Override
  public synchronized long delete(String key, long expectedModRevision) {
    check(key, expectedModRevision);
    Entry old = data.remove(key);
    revision++;
    publish(new Change(key, null, old.value(), revision, true));
    return revision;
  }

  @Override
  public synchronized long currentRevision() {
    return revision;
  }

  @Override
  public synchronized WatchHandle watch(String prefix, long fromRevision, ChangeListener listener) {
    FakeWatch watch = new FakeWatch(prefix, listener);
    if (fromRevision <= compactedUpTo) {
      listener.onError(ApiException.expired("compacted"));
      return watch;
    }
    List<Change> past = new ArrayList<>();
    for (Change c : history) {
      if (c.modRevision() >= fromRevision && c.key().startsWith(prefix)) {
        past.add(c);
      }
    }
    if (!past.isEmpty()) {
      listener.onChanges(past);
    }
    watches.add(watch);
    return watch;
  }

  /** Drops history up to {@code upTo}: watches from there on fail with Expired. */
  synchronized void compact(long upTo) {
    compactedUpTo = upTo;
    history.removeIf(c -> c.modRevision() <= upTo);
  }

  /** Ends every open watch with {@code error}, as a storage whose watch cannot be resumed does. */
  synchronized void endWatches(RuntimeException error) {
    List<FakeWatch> ended = new ArrayList<>(watches);
    watches.clear();
    ended.forEach(w -> w.listener.onError(error));
  }

  synchronized int openWatches() {
    return watches.size();
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}

  private void check(String key, long expected) {
    Entry current = data.get(key);
    if (current == null) {
      throw ApiException.of(ApiException.NOT_FOUND, 404, key);
    }
    if (current.modRevision() != expected) {
      throw ApiException.of(ApiException.CONFLICT, 409, key);
    }
  }

  private long write(String key, byte[] value) {
    Entry old = data.get(key);
    revision++;
    data.put(key, new Entry(key, value, revision));
    publish(new Change(key, value, old == null ? null : old.value(), revision, false));
    return revision;
  }

  private void publish(Change change) {
    history.add(change);
    for (FakeWatch w : List.copyOf(watches)) {
      if (change.key().startsWith(w.prefix)) {
        w.listener.onChanges(List.of(change));
      }
    }
  }
}
