package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.ListResult;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchListener;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory API server for one kind, with etcd-like revisions: every change gets the next
 * revision as its resourceVersion and is kept in a history that watches replay from; {@link #compact()}
 * drops the history, so a watch from an older version fails as expired. Thread-safe.
 */
final class FakeListerWatcher<T extends Message> implements ListerWatcher<T> {
  private final Kind<T> kind;
  private final Map<String, T> objects = new LinkedHashMap<>();
  private final List<Change<T>> history = new ArrayList<>();
  private final List<WatchListener<T>> watchers = new ArrayList<>();
  private long revision = 10;
  private long compactedThrough;
  private boolean acceptWatches = true;
  private boolean deliver = true;
  volatile int lists;
  volatile int watches;
  final List<String> watchedFrom = new ArrayList<>();

  FakeListerWatcher(Kind<T> kind) {
    this.kind = kind;
  }

  synchronized T put(T object) {
    revision++;
    T stored = kind.withMetadata(object, kind.metadata(object).toBuilder()
        .setResourceVersion(Long.toString(revision)).build());
    T old = objects.put(Store.keyOf(stored), stored);
    record(new Change<>(revision, old == null ? WatchEventType.ADDED : WatchEventType.MODIFIED, stored));
    return stored;
  }

  synchronized T delete(String key) {
    T old = objects.remove(key);
    revision++;
    T last = kind.withMetadata(old, kind.metadata(old).toBuilder()
        .setResourceVersion(Long.toString(revision)).build());
    record(new Change<>(revision, WatchEventType.DELETED, last));
    return last;
  }

  synchronized void bookmark(long rv) {
    revision = Math.max(revision, rv);
    T marker = kind.withMetadata(kind.defaultInstance(), kind.metadata(kind.defaultInstance()).toBuilder()
        .setResourceVersion(Long.toString(rv)).build());
    new ArrayList<>(watchers).forEach(w -> w.onEvent(WatchEventType.BOOKMARK, marker));
  }

  private void record(Change<T> c) {
    history.add(c);
    if (deliver) {
      new ArrayList<>(watchers).forEach(w -> w.onEvent(c.type, c.object));
    }
  }

  /** Forget the history: watches from any version before now fail as expired. */
  synchronized void compact() {
    compactedThrough = revision;
    history.clear();
  }

  /** Ends every open watch with {@code error} (null: a clean end). */
  synchronized void closeWatches(ApiException error) {
    List<WatchListener<T>> open = new ArrayList<>(watchers);
    watchers.clear();
    open.forEach(w -> w.onClose(error));
  }

  synchronized void acceptWatches(boolean accept) {
    this.acceptWatches = accept;
  }

  /** Whether changes reach open watches (they are recorded either way). */
  synchronized void deliver(boolean deliver) {
    this.deliver = deliver;
  }

  synchronized int openWatches() {
    return watchers.size();
  }

  synchronized Map<String, T> objects() {
    return new LinkedHashMap<>(objects);
  }

  @Override
  public synchronized ListResult<T> list(ListOptions options) {
    lists++;
    return new ListResult<>(new ArrayList<>(objects.values()), Long.toString(revision), "");
  }

  @Override
  public synchronized ApiClient.Watch watch(WatchOptions options, WatchListener<T> listener) {
    watches++;
    watchedFrom.add(options.resourceVersion());
    if (!acceptWatches) {
      throw ApiException.unavailable("API server unavailable (fake)", null);
    }
    long from = Long.parseLong(options.resourceVersion());
    if (from < compactedThrough) {
      listener.onClose(ApiException.expired("too old resource version: " + from + " (" + compactedThrough + ")"));
      return new ApiClient.Watch();
    }
    for (Change<T> c : history) {
      if (c.revision > from) {
        listener.onEvent(c.type, c.object);
      }
    }
    watchers.add(listener);
    return new ApiClient.Watch();
  }

  private record Change<T>(long revision, WatchEventType type, T object) {}
}
