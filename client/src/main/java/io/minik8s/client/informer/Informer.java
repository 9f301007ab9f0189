package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.ListResult;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Store} equal to the server's objects of one kind (and namespace and selectors) and
 * tells {@link ResourceEventHandler}s what changed: client-go's shared informer.
 *
 * <p>How: list, then watch from the list's resourceVersion. Each event updates the store, then the
 * handlers are called. An expired watch (the server no longer has that version) leads to a re-list,
 * and the differences between the store and the fresh list are delivered as adds, updates and deletes.
 * Any other failure or end of the watch leads to a re-watch from the last resourceVersion seen, after
 * a back-off (200 ms doubling to 30 s, with jitter); the back-off is reset once a watch delivers events.
 * BOOKMARK events only move the resourceVersion on.
 *
 * <p>Threading and ordering: one thread per informer ({@code informer-<name>}) does all of it, so
 * handlers are called one at a time, in event order, after the store shows the change. A handler
 * added after start first gets {@code onAdd} for every object already stored. An exception from a
 * handler is logged and does not stop the others. After {@link #stop()} returns no handler is called.
 *
 * <p>With a resync period, every object is re-delivered as {@code onUpdate(o, o)} that often.
 *
 * @param <T> the object type
 */
public final class Informer<T extends Message> {
  private static final Logger log = LoggerFactory.getLogger(Informer.class);

  private final String name;
  private final ListerWatcher<T> listerWatcher;
  private final long resyncNanos;
  private final Backoff backoff;
  private final Store<T> store = new Store<>();
  private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private volatile String lastResourceVersion = "";
  private volatile boolean stopping;
  private Thread thread;
  private boolean started;

  // Owned by the informer thread.
  private ApiClient.Watch watch;
  private long watchGeneration;
  private boolean watchSawEvents;
  private boolean needList = true;

  private Informer(Builder<T> b) {
    this.name = b.name;
    this.listerWatcher = b.listerWatcher;
    this.resyncNanos = b.resyncPeriod.toNanos();
    this.backoff = new Backoff(b.minBackoff, b.maxBackoff, new Random());
  }

  /** An informer of {@code kind} fed by {@code listerWatcher}, named after the kind by default. */
  public static <T extends Message> Builder<T> builder(Kind<T> kind, ListerWatcher<T> listerWatcher) {
    return new Builder<>(kind.resource(), listerWatcher);
  }

  public String name() {
    return name;
  }

  /** The store; writes to it belong to the informer, everyone else should only read. */
  public Store<T> store() {
    return store;
  }

  /** The read-only view controllers use. */
  public Lister<T> lister() {
    return store;
  }

  /** Adds an index to the store (see {@link Store#addIndex}); best done before {@link #start()}. */
  public void addIndex(String indexName, Function<T, List<String>> indexFunction) {
    store.addIndex(indexName, indexFunction);
  }

  /** Registers a handler; if the informer runs already, it first gets an add for every stored object. */
  public void addEventHandler(ResourceEventHandler<T> handler) {
    Objects.requireNonNull(handler, "handler");
    synchronized (this) {
      if (!started) {
        handlers.add(handler);
        return;
      }
    }
    inbox.add(new HandlerAdded<>(handler));
  }

  /** Starts the informer thread; a second call does nothing. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    thread = new Thread(this::run, "informer-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops watching and returns once the informer thread has ended (or after 10 s): no handler call
   * happens afterwards. The store keeps its last contents.
   */
  public void stop() {
    Thread t;
    synchronized (this) {
      if (!started || stopping) {
        return;
      }
      stopping = true;
      t = thread;
    }
    inbox.add(new Stop());
    if (t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(200);
      if (t.isAlive()) {
        t.interrupt(); // blocked in a list call
        t.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True once the first list has been stored and delivered to the handlers. */
  public boolean hasSynced() {
    return synced.getCount() == 0;
  }

  /** Waits until {@link #hasSynced()}; false if the timeout passed first. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The resourceVersion of the last list or event applied. */
  public String lastResourceVersion() {
    return lastResourceVersion;
  }

  private void run() {
    long nextAttempt = System.nanoTime();
    long nextResync = resyncNanos > 0 ? System.nanoTime() + resyncNanos : Long.MAX_VALUE;
    try {
      while (!stopping) {
        long now = System.nanoTime();
        if (watch == null && now >= nextAttempt) {
          try {
            if (needList) {
              relist();
              needList = false;
            }
            startWatch();
          } catch (RuntimeException e) {
            if (stopping) {
              break;
            }
            if (e instanceof ApiException && ((ApiException) e).isExpired()) {
              needList = true;
            }
            Duration delay = backoff.next();
            log.atWarn().addKeyValue("informer", name).addKeyValue("retryIn", delay).setCause(e)
                .log(needList ? "list failed" : "watch failed to start");
            nextAttempt = now + delay.toNanos();
          }
          continue;
        }
        long wakeAt = Math.min(nextResync, watch == null ? nextAttempt : Long.MAX_VALUE);
        Signal signal = wakeAt == Long.MAX_VALUE ? inbox.take()
            : inbox.poll(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
        if (signal == null) {
          if (System.nanoTime() >= nextResync) {
            resync();
            nextResync = System.nanoTime() + resyncNanos;
          }
          continue;
        }
        if (signal instanceof Stop) {
          break;
        } else if (signal instanceof Event) {
          @SuppressWarnings("unchecked")
          Event<T> e = (Event<T>) signal;
          if (e.generation == watchGeneration) {
            if (!watchSawEvents) {
              watchSawEvents = true;
              backoff.reset();
            }
            apply(e.type, e.object);
          }
        } else if (signal instanceof Closed) {
          Closed c = (Closed) signal;
          if (c.generation == watchGeneration) {
            nextAttempt = System.nanoTime() + watchClosed(c.error).toNanos();
          }
        } else if (signal instanceof HandlerAdded) {
          @SuppressWarnings("unchecked")
          ResourceEventHandler<T> h = ((HandlerAdded<T>) signal).handler;
          handlers.add(h);
          for (T o : store.list()) {
            call(h, x -> x.onAdd(o));
          }
        }
      }
    } catch (InterruptedException e) {
      // stop() interrupts only when it wants us gone
    } finally {
      if (watch != null) {
        watch.cancel();
        watch = null;
      }
    }
  }

  /** Decides what follows the end of the current watch; returns how long to wait before it. */
  private Duration watchClosed(ApiException error) {
    watch = null;
    boolean healthy = watchSawEvents;
    if (healthy) {
      backoff.reset();
    }
    if (error != null && error.isExpired()) {
      needList = true;
      log.atInfo().addKeyValue("informer", name).addKeyValue("resourceVersion", lastResourceVersion)
          .log("watch expired, re-listing");
      // Re-list at once, unless watches keep expiring before they deliver anything.
      return healthy ? Duration.ZERO : backoff.next();
    }
    Duration delay = backoff.next();
    if (error == null) {
      log.atDebug().addKeyValue("informer", name).addKeyValue("retryIn", delay).log("watch ended, re-watching");
    } else {
      log.atWarn().addKeyValue("informer", name).addKeyValue("retryIn", delay)
          .addKeyValue("error", error.getMessage()).log("watch failed, re-watching");
    }
    return delay;
  }

  private void startWatch() {
    long generation = ++watchGeneration;
    watchSawEvents = false;
    WatchOptions options = WatchOptions.from(ListOptions.ALL, lastResourceVersion);
    watch = listerWatcher.watch(options, new ApiClient.WatchListener<>() {
      @Override
      public void onEvent(WatchEventType type, T object) {
        inbox.add(new Event<>(generation, type, object));
      }

      @Override
      public void onClose(ApiException error) {
        inbox.add(new Closed(generation, error));
      }
    });
  }

  /** Lists, makes the store equal to the list and tells the handlers each difference. */
  private void relist() {
    ListResult<T> result = listerWatcher.list(ListOptions.ALL);
    Map<String, T> fresh = new LinkedHashMap<>();
    for (T o : result.items()) {
      fresh.put(Store.keyOf(o), o);
    }
    int added = 0;
    int updated = 0;
    int deleted = 0;
    for (String key : store.keys()) {
      if (!fresh.containsKey(key)) {
        T gone = store.remove(key);
        deleted++;
        notifyAll(h -> h.onDelete(gone));
      }
    }
    for (T o : fresh.values()) {
      T old = store.put(o);
      if (old == null) {
        added++;
        notifyAll(h -> h.onAdd(o));
      } else if (!old.equals(o)) {
        updated++;
        notifyAll(h -> h.onUpdate(old, o));
      }
    }
    lastResourceVersion = result.resourceVersion();
    log.atInfo().addKeyValue("informer", name).addKeyValue("resourceVersion", lastResourceVersion)
        .addKeyValue("objects", fresh.size()).addKeyValue("added", added).addKeyValue("updated", updated)
        .addKeyValue("deleted", deleted).log("listed");
    synced.countDown();
  }

  private void apply(WatchEventType type, T object) {
    String rv = Kinds.of(object).metadata(object).getResourceVersion();
    switch (type) {
      case BOOKMARK:
        break;
      case ADDED:
      case MODIFIED: {
        T old = store.put(object);
        if (old == null) {
          notifyAll(h -> h.onAdd(object));
        } else if (!old.equals(object)) { // a replayed version is not news
          notifyAll(h -> h.onUpdate(old, object));
        }
        break;
      }
      case DELETED: {
        T old = store.remove(Store.keyOf(object));
        if (old != null) {
          notifyAll(h -> h.onDelete(object));
        }
        break;
      }
      default:
        throw new IllegalStateException("unknown event type " + type);
    }
    if (!rv.isEmpty()) {
      lastResourceVersion = rv;
    }
  }

  private void resync() {
    for (T o : store.list()) {
      notifyAll(h -> h.onUpdate(o, o));
    }
  }

  private void notifyAll(Consumer<ResourceEventHandler<T>> call) {
    for (ResourceEventHandler<T> h : handlers) {
      call(h, call);
    }
  }

  private void call(ResourceEventHandler<T> h, Consumer<ResourceEventHandler<T>> call) {
    try {
      call.accept(h);
    } catch (RuntimeException e) {
      log.atError().addKeyValue("informer", name).addKeyValue("handler", h).setCause(e)
          .log("event handler failed");
    }
  }

  private interface Signal {}

  private record Event<T>(long generation, WatchEventType type, T object) implements Signal {}

  private record Closed(long generation, ApiException error) implements Signal {}

  private record HandlerAdded<T>(ResourceEventHandler<T> handler) implements Signal {}

  private record Stop() implements Signal {}

  /** Options of an informer. */
  public static final class Builder<T extends Message> {
    private String name;
    private final ListerWatcher<T> listerWatcher;
    private Duration resyncPeriod = Duration.ZERO;
    private Duration minBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(30);

    private Builder(String name, ListerWatcher<T> listerWatcher) {
      this.name = name;
      this.listerWatcher = Objects.requireNonNull(listerWatcher, "listerWatcher");
    }

    /** Names the thread and the log lines. */
    public Builder<T> name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    /** How often every object is re-delivered as an update; zero (the default) for never. */
    public Builder<T> resyncPeriod(Duration period) {
      if (period.isNegative()) {
        throw new IllegalArgumentException("negative resync period " + period);
      }
      this.resyncPeriod = period;
      return this;
    }

    /** The back-off between failed list or watch attempts (default 200 ms to 30 s). */
    public Builder<T> backoff(Duration min, Duration max) {
      new Backoff(min, max, new Random()); // validates
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    public Informer<T> build() {
      return new Informer<>(this);
    }
  }
}
