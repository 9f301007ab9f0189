package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One informer per (kind, list options) for a whole process, so every controller that needs pods reads
 * the same cache fed by one watch. Thread-safe.
 *
 * <p>Ask for informers, register handlers, then {@link #startAll()} and {@link #awaitSynced}; an
 * informer asked for after {@code startAll} is started by the next {@code startAll}.
 */
public final class InformerFactory implements AutoCloseable {
  /** Makes the list/watch source for one informer. */
  public interface ListerWatcherSource {
    <T extends Message> ListerWatcher<T> create(Kind<T> kind, ListOptions options);
  }

  private final ListerWatcherSource source;
  private final Duration resyncPeriod;
  private final Map<Key, Informer<?>> informers = new LinkedHashMap<>();

  public InformerFactory(ListerWatcherSource source, Duration resyncPeriod) {
    this.source = Objects.requireNonNull(source, "source");
    this.resyncPeriod = Objects.requireNonNull(resyncPeriod, "resyncPeriod");
  }

  /** Informers that list and watch through {@code client}, with no resync. */
  public static InformerFactory forClient(ApiClient client) {
    return forClient(client, Duration.ZERO);
  }

  public static InformerFactory forClient(ApiClient client, Duration resyncPeriod) {
    return new InformerFactory(new ListerWatcherSource() {
      @Override
      public <T extends Message> ListerWatcher<T> create(Kind<T> kind, ListOptions options) {
        return ListerWatcher.of(client, kind, options);
      }
    }, resyncPeriod);
  }

  /** The shared informer of every {@code kind} object in all namespaces. */
  public <T extends Message> Informer<T> informer(Kind<T> kind) {
    return informer(kind, ListOptions.ALL);
  }

  /** The shared informer of {@code kind} objects in {@code options}' namespace matching its selectors. */
  public synchronized <T extends Message> Informer<T> informer(Kind<T> kind, ListOptions options) {
    Key key = new Key(kind, options.withLimit(0).withContinue(""));
    @SuppressWarnings("unchecked")
    Informer<T> informer = (Informer<T>) informers.get(key);
    if (informer == null) {
      informer = Informer.builder(kind, source.create(kind, key.options))
          .name(informerName(kind, key.options))
          .resyncPeriod(resyncPeriod)
          .build();
      informers.put(key, informer);
    }
    return informer;
  }

  private static String informerName(Kind<?> kind, ListOptions o) {
    StringBuilder b = new StringBuilder(kind.resource());
    if (!o.namespace().isEmpty()) {
      b.append('/').append(o.namespace());
    }
    if (!o.labelSelector().isEmpty()) {
      b.append('[').append(o.labelSelector()).append(']');
    }
    if (!o.fieldSelector().isEmpty()) {
      b.append('[').append(o.fieldSelector()).append(']');
    }
    return b.toString();
  }

  /** Starts every informer not yet started. */
  public synchronized void startAll() {
    informers.values().forEach(Informer::start);
  }

  /** Waits until every informer created so far has synced; false if {@code timeout} passed first. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Informer<?> i : snapshot()) {
      if (!i.awaitSynced(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  /** True when every informer created so far has synced (a readiness check). */
  public boolean hasSynced() {
    return snapshot().stream().allMatch(Informer::hasSynced);
  }

  public void stopAll() {
    snapshot().forEach(Informer::stop);
  }

  @Override
  public void close() {
    stopAll();
  }

  private synchronized List<Informer<?>> snapshot() {
    return new ArrayList<>(informers.values());
  }

  private record Key(Kind<?> kind, ListOptions options) {}
}
