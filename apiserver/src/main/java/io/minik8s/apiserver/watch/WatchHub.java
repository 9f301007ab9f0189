package io.minik8s.apiserver.watch;

import com.google.protobuf.Message;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.api.WatchEvent;
import io.minik8s.apiserver.registry.Keys;
import io.minik8s.apiserver.storage.Storage;
import io.minik8s.apiserver.storage.WatchCache;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One {@link WatchCache} per kind (one etcd watch each), and the glue between a cache's watchers and
 * gRPC watch streams (other wires bring their own {@link WatchCache.Sink}): events become {@link WatchEvent}s, gRPC flow control pauses and resumes delivery,
 * a cancelled stream stops its watcher, and a watcher cut off (too slow, expired) ends its stream with
 * the Expired error so the client re-lists.
 */
public final class WatchHub implements AutoCloseable {
  private final Map<Kind<?>, WatchCache> caches = new LinkedHashMap<>();

  public WatchHub(Storage storage, MeterRegistry meters, Duration bookmarkInterval) {
    WatchCache.Options options = WatchCache.Options.defaults().withMeterRegistry(meters)
        .withBookmarkInterval(bookmarkInterval);
    for (Kind<?> kind : Kinds.all()) {
      caches.put(kind, WatchCache.forKind(storage, Keys.prefix(kind, ""), kind, options));
    }
  }

  public void start() {
    caches.values().forEach(WatchCache::start);
  }

  /** True when every cache serves watches. */
  public boolean isReady() {
    return caches.values().stream().allMatch(WatchCache::isReady);
  }

  public int watcherCount() {
    return caches.values().stream().mapToInt(WatchCache::watcherCount).sum();
  }

  /** The object as the kind's watch cache has it (see {@link WatchCache#get}): possibly a moment behind etcd. */
  public <T extends Message> java.util.Optional<T> cached(Kind<T> kind, String namespace, String name) {
    return caches.get(kind).get(Keys.key(kind, namespace, name)).map(kind.type()::cast);
  }

  /**
   * The object under storage key {@code key} of {@code kind} with the revision that wrote it, as the kind's
   * watch cache has it (see {@link WatchCache#getVersioned}): possibly a moment behind etcd, never ahead.
   */
  public java.util.Optional<WatchCache.Versioned> cachedAt(Kind<?> kind, String key) {
    WatchCache cache = caches.get(kind);
    return cache == null ? java.util.Optional.empty() : cache.getVersioned(key);
  }

  /**
   * Serves one watch stream of the service bound through {@link PreEncodedWatch#rebind} (its events are
   * sent pre-serialized).
   *
   * @param resourceVersion "" or "0": current objects as ADDED, then changes; otherwise every change after it
   */
  public void watch(Kind<?> kind, String resourceVersion, Predicate<Message> filter, boolean bookmarks,
      ServerCallStreamObserver<WatchEvent> stream) {
    AtomicReference<WatchCache.Watcher> watcher = new AtomicReference<>();
    stream.setOnCancelHandler(() -> {
      WatchCache.Watcher w = watcher.get();
      if (w != null) {
        w.close();
      }
    });
    stream.setOnReadyHandler(() -> {
      WatchCache.Watcher w = watcher.get();
      if (w != null) {
        w.resume();
      }
    });
    watcher.set(watch(kind, resourceVersion, filter, bookmarks, new StreamSink(kind, stream)));
    if (stream.isCancelled()) {
      watcher.get().close();
    }
  }

  /**
   * Starts a watch whose events go to {@code sink}, whatever the wire (the REST API's chunked responses).
   *
   * @param resourceVersion "" or "0": current objects as ADDED, then changes; otherwise every change after it
   * @throws ApiException BadRequest for a malformed version, ServiceUnavailable while the cache loads
   */
  public WatchCache.Watcher watch(Kind<?> kind, String resourceVersion, Predicate<Message> filter, boolean bookmarks,
      WatchCache.Sink sink) {
    return caches.get(kind).watch(parse(resourceVersion), filter, bookmarks, sink);
  }

  private static long parse(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resourceVersion \"" + resourceVersion + "\": not a number");
    }
  }

  @Override
  public void close() {
    caches.values().forEach(WatchCache::close);
  }

  /** The key of the gRPC encoding in {@link io.minik8s.apiserver.storage.SharedEncodings}. */
  private static final java.lang.Object GRPC = new java.lang.Object();

  /**
   * Writes a watcher's events to its gRPC stream, each event serialized once for all the watchers that get
   * it: the stream must be one of a service bound through {@link PreEncodedWatch#rebind}.
   */
  private static final class StreamSink implements WatchCache.Sink {
    private final Kind<?> kind;
    private final ServerCallStreamObserver<java.lang.Object> stream;

    @SuppressWarnings("unchecked")
    StreamSink(Kind<?> kind, ServerCallStreamObserver<WatchEvent> stream) {
      this.kind = kind;
      this.stream = (ServerCallStreamObserver<java.lang.Object>) (ServerCallStreamObserver<?>) stream;
    }

    @Override
    public boolean send(WatchCache.Event event) {
      if (stream.isCancelled()) {
        return true;
      }
      try {
        java.lang.Object message = event.encodings() == null ? toWatchEvent(event)
            : event.encodings().computeIfAbsent(GRPC, event.type(),
                () -> new PreEncodedWatch.Encoded(toWatchEvent(event).toByteArray()));
        stream.onNext(message);
      } catch (RuntimeException e) {
        return true; // the stream is gone; its cancel handler stops the watcher
      }
      return stream.isReady();
    }

    private WatchEvent toWatchEvent(WatchCache.Event event) {
      Message object = event.object();
      if (event.type() == WatchCache.EventType.BOOKMARK) {
        object = kind.withMetadata(kind.defaultInstance(), io.minik8s.api.ObjectMeta.newBuilder()
            .setResourceVersion(Long.toString(event.revision())).build());
      }
      return WatchEvent.newBuilder().setType(event.type().name()).setObject(kind.wrap(object)).build();
    }

    @Override
    public void closed(ApiException error) {
      try {
        if (error == null) {
          stream.onCompleted();
        } else {
          stream.onError(error.toGrpc());
        }
      } catch (RuntimeException ignored) {
        // already cancelled by the client
      }
    }
  }
}
