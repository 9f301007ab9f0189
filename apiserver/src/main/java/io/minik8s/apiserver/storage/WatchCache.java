package io.minik8s.apiserver.storage;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's watch cache for one key prefix (one kind): ONE storage watch feeds it, and it
 * fans the changes out to any number of watchers, each with its own filter and bounded queue.
 *
 * <p>What it keeps: the current objects under the prefix (key to object, resourceVersion set), the
 * revision it has seen up to, and a window of the latest changes (default 10,000).
 *
 * <p>What a watcher gets from {@link #watch}: with {@code fromRevision == 0}, a synthetic ADDED for every
 * current object that passes its filter, then every later change; with a revision the window still
 * covers, the window's changes after it, then every later change; with an older revision, every change
 * after it from a storage watch of its own (etcd keeps history until compaction; a compacted revision
 * ends the watch with Expired); with a revision the cache has not reached yet, the changes after it as
 * they come. Each change reaches a watcher at most once, in revision order, transformed by its filter
 * as Kubernetes does (see {@link CacheWatcher#eventFor}).
 *
 * <p>What it guarantees the others: a watcher whose queue (default 1,000 events) fills up is cut off
 * with Expired ("too slow") and removed; the intake never waits for a watcher. Delivery runs on
 * delivery threads, never on the storage's callback thread.
 *
 * <p>When its storage watch ends for good (history compacted while etcd was unreachable, storage
 * closed) the cache ends every watcher with Expired, so that clients list again, and lists and
 * watches the prefix anew; until that is done {@link #watch} fails with ServiceUnavailable.
 *
 * <p>Close caches before the storage under them: a storage that closes first ends the cache's watch,
 * and the cache would keep trying to load itself again.
 *
 * <p>Thread-safe. One lock guards the objects, the window, the revision and the set of watchers; the
 * intake holds it while it applies a batch of changes and queues them for the watchers, and a new
 * watcher takes it to pick its replay and join, so no change is missed or doubled between the two.
 */
public final class WatchCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
  private static final int LIST_PAGE_SIZE = 1_000;
  private static final Duration RELOAD_MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration RELOAD_MAX_BACKOFF = Duration.ofSeconds(5);
  private static final AtomicInteger WATCHER_IDS = new AtomicInteger();

  /** What happened to an object, as Kubernetes names it. */
  public enum EventType { ADDED, MODIFIED, DELETED, BOOKMARK }

  /**
   * One event for one watcher.
   *
   * @param object the object (its resourceVersion is {@code revision}, except in the initial ADDED
   *     events of a {@code fromRevision == 0} watch, where it is the object's own); null for BOOKMARK
   * @param revision the revision of the change; for BOOKMARK, a revision up to which the watcher has
   *     seen every change, so it can resume from there
   * @param encodings where wires keep this event's encoding for the other watchers of the same change
   *     (see {@link SharedEncodings}); null when nobody else gets it (bookmarks)
   */
  public record Event(EventType type, Message object, long revision, SharedEncodings encodings) {
    /** An event whose encodings nobody shares. */
    public Event(EventType type, Message object, long revision) {
      this(type, object, revision, null);
    }
  }

  /** Where a watcher's events go (in practice: one gRPC watch stream). */
  public interface Sink {
    /**
     * Takes one event. Called on a delivery thread, one call at a time for this watcher, in revision
     * order; must not block. Returns false when the receiver cannot take more now: delivery pauses
     * (events queue up, and a full queue cuts the watcher off) until {@link Watcher#resume()}. The
     * event passed is delivered either way.
     */
    boolean send(Event event);

    /**
     * The watch has ended: {@code error} is null when it was closed ({@link Watcher#close()}, cache
     * closed), otherwise why it ended (Expired: list again). Called exactly once, after the last send.
     */
    void closed(ApiException error);
  }

  /** A running watch. */
  public interface Watcher extends AutoCloseable {
    /** The receiver can take events again after {@link Sink#send} returned false. */
    void resume();

    /** Stops the watch; the sink then hears {@code closed(null)}. */
    @Override
    void close();
  }

  /**
   * Tuning.
   *
   * @param windowSize how many recent changes are kept for watchers that resume
   * @param watcherBufferSize how many events may wait for one watcher before it is cut off
   * @param bookmarkInterval how often watchers that asked for bookmarks get one
   * @param deliveryThreads threads of the cache's own delivery pool (when no executor is given)
   * @param deliveryExecutor runs deliveries; null: the cache makes its own pool
   * @param meterRegistry where the watcher gauge goes; null: no metrics
   */
  public record Options(int windowSize, int watcherBufferSize, Duration bookmarkInterval, int deliveryThreads,
      Executor deliveryExecutor, MeterRegistry meterRegistry) {
    public Options {
      if (windowSize < 1 || watcherBufferSize < 1 || deliveryThreads < 1) {
        throw new IllegalArgumentException("window, buffer and threads must be at least 1");
      }
      Objects.requireNonNull(bookmarkInterval, "bookmarkInterval");
      if (bookmarkInterval.isNegative() || bookmarkInterval.isZero()) {
        throw new IllegalArgumentException("bookmark interval must be positive");
      }
    }

    /** 10,000 changes, 1,000 events per watcher, a bookmark a minute, 2 delivery threads, no metrics. */
    public static Options defaults() {
      return new Options(10_000, 1_000, Duration.ofSeconds(60), 2, null, null);
    }

    public Options withWindowSize(int n) {
      return new Options(n, watcherBufferSize, bookmarkInterval, deliveryThreads, deliveryExecutor, meterRegistry);
    }

    public Options withWatcherBufferSize(int n) {
      return new Options(windowSize, n, bookmarkInterval, deliveryThreads, deliveryExecutor, meterRegistry);
    }

    public Options withBookmarkInterval(Duration d) {
      return new Options(windowSize, watcherBufferSize, d, deliveryThreads, deliveryExecutor, meterRegistry);
    }

    public Options withDeliveryThreads(int n) {
      return new Options(windowSize, watcherBufferSize, bookmarkInterval, n, deliveryExecutor, meterRegistry);
    }

    public Options withDeliveryExecutor(Executor e) {
      return new Options(windowSize, watcherBufferSize, bookmarkInterval, deliveryThreads, e, meterRegistry);
    }

    public Options withMeterRegistry(MeterRegistry r) {
      return new Options(windowSize, watcherBufferSize, bookmarkInterval, deliveryThreads, deliveryExecutor, r);
    }
  }

  /** A current object (its resourceVersion set) and the revision that last wrote it (its etcd mod revision). */
  public record Versioned(Message object, long revision) {}

  private final Storage storage;
  private final String prefix;
  private final Function<byte[], Message> decode;
  private final BiFunction<Message, Long, Message> withResourceVersion;
  private final Options options;
  private final Executor deliveryExecutor;
  private final ExecutorService ownDeliveryPool;
  private final ScheduledExecutorService scheduler;
  private final Counter slowWatchers;
  private final Gauge watcherGauge;

  private final Object lock = new Object();
  // Guarded by lock.
  private TreeMap<String, Versioned> objects = new TreeMap<>();
  private long revision;
  private final EventWindow window;
  private boolean ready;
  private boolean started;
  private boolean closed;
  private long epoch;
  private Storage.WatchHandle intake;
  // Written under lock, iterated without it (copy-on-write snapshots).
  private final List<CacheWatcher> live = new CopyOnWriteArrayList<>();
  private final Set<CacheWatcher> dedicated = ConcurrentHashMap.newKeySet();
  private final Map<CacheWatcher, DedicatedFeed> feeds = new ConcurrentHashMap<>();

  /**
   * @param decode turns a stored value into an object (throws on a corrupt one, which is skipped)
   * @param withResourceVersion a copy of an object with {@code metadata.resourceVersion} set to a
   *     revision (see {@link #resourceVersionSetter(Kind)})
   */
  public WatchCache(Storage storage, String prefix, Function<byte[], Message> decode,
      BiFunction<Message, Long, Message> withResourceVersion, Options options) {
    this.storage = Objects.requireNonNull(storage);
    this.prefix = Objects.requireNonNull(prefix);
    this.decode = Objects.requireNonNull(decode);
    this.withResourceVersion = Objects.requireNonNull(withResourceVersion);
    this.options = Objects.requireNonNull(options);
    this.window = new EventWindow(options.windowSize());
    if (options.deliveryExecutor() != null) {
      this.ownDeliveryPool = null;
      this.deliveryExecutor = options.deliveryExecutor();
    } else {
      this.ownDeliveryPool = Executors.newFixedThreadPool(options.deliveryThreads(), daemon("watch-deliver " + prefix));
      this.deliveryExecutor = ownDeliveryPool;
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("watch-cache " + prefix));
    MeterRegistry registry = options.meterRegistry();
    if (registry != null) {
      this.watcherGauge = Gauge.builder("watch.cache.watchers", this, WatchCache::watcherCount)
          .description("Watchers served by the API server's watch cache").tag("prefix", prefix).register(registry);
      this.slowWatchers = Counter.builder("watch.cache.slow.watchers")
          .description("Watchers cut off because their queue was full").tag("prefix", prefix).register(registry);
    } else {
      this.watcherGauge = null;
      this.slowWatchers = null;
    }
  }

  /** A cache of one kind's objects: values are parsed as {@code kind}. */
  public static WatchCache forKind(Storage storage, String prefix, Kind<?> kind, Options options) {
    return new WatchCache(storage, prefix, kind::parse, resourceVersionSetter(kind), options);
  }

  /** Sets {@code metadata.resourceVersion} to the revision, as a decimal string, through {@link Kind#withMetadata}. */
  public static BiFunction<Message, Long, Message> resourceVersionSetter(Kind<?> kind) {
    return (object, rev) -> kind.withMetadata(object,
        kind.metadata(object).toBuilder().setResourceVersion(Long.toString(rev)).build());
  }

  /**
   * Starts loading: lists the prefix, then watches it from the revision of the list. Returns at once;
   * the cache serves watches once {@link #isReady()} (see {@link #awaitReady}). A failed list is retried
   * with back-off until it succeeds or the cache is closed.
   */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        return;
      }
      started = true;
    }
    scheduleLoad(0, Duration.ZERO);
    Duration interval = options.bookmarkInterval();
    scheduler.scheduleAtFixedRate(this::sendBookmarks, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the cache serves watches; false when {@code timeout} passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!ready && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return ready;
    }
  }

  public boolean isReady() {
    synchronized (lock) {
      return ready;
    }
  }

  /** The revision the cache has seen every change up to. */
  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  public String prefix() {
    return prefix;
  }

  /** How many objects the cache holds. */
  public int size() {
    synchronized (lock) {
      return objects.size();
    }
  }

  /**
   * The object under {@code key} as the cache has it (its resourceVersion set): what etcd held at
   * {@link #revision()}, so possibly a moment behind etcd, never ahead. Empty when there is none, or while
   * the cache is not ready (loading, reloading after its etcd watch ended, closed): callers that need an
   * answer then ask etcd.
   */
  public java.util.Optional<Message> get(String key) {
    synchronized (lock) {
      if (!ready) {
        return java.util.Optional.empty();
      }
      Versioned v = objects.get(key);
      return v == null ? java.util.Optional.empty() : java.util.Optional.of(v.object());
    }
  }

  /**
   * {@link #get} with the revision that last wrote the object: a starting point for a compare-and-swap on
   * that mod revision, which etcd refuses when the cache is behind.
   */
  public java.util.Optional<Versioned> getVersioned(String key) {
    synchronized (lock) {
      return ready ? java.util.Optional.ofNullable(objects.get(key)) : java.util.Optional.empty();
    }
  }

  /** Watchers currently served (from the cache and from storage watches of their own). */
  public int watcherCount() {
    return live.size() + dedicated.size();
  }

  /** {@link #watch(long, Predicate, boolean, Sink)} without bookmarks. */
  public Watcher watch(long fromRevision, Predicate<Message> filter, Sink sink) {
    return watch(fromRevision, filter, false, sink);
  }

  /**
   * Starts a watch (see the class comment for what it delivers).
   *
   * @param fromRevision 0 for "current state, then changes"; otherwise the revision after which to start
   * @param filter which objects this watcher is interested in (evaluated on delivery and intake threads)
   * @param bookmarks whether to send a BOOKMARK every {@link Options#bookmarkInterval()}
   * @throws ApiException ServiceUnavailable while the cache is not ready or is closed
   */
  public Watcher watch(long fromRevision, Predicate<Message> filter, boolean bookmarks, Sink sink) {
    if (fromRevision < 0) {
      throw ApiException.badRequest("resourceVersion must not be negative: " + fromRevision);
    }
    Objects.requireNonNull(filter);
    Objects.requireNonNull(sink);
    String description = "watcher " + WATCHER_IDS.incrementAndGet() + " of " + prefix + " from " + fromRevision;
    CacheWatcher watcher;
    boolean fromStorage = false;
    synchronized (lock) {
      if (closed) {
        throw ApiException.unavailable("the watch cache of " + prefix + " is closed", null);
      }
      if (!ready) {
        throw ApiException.unavailable("the watch cache of " + prefix + " is loading; try again", null);
      }
      if (fromRevision == 0) {
        ArrayDeque<CachedChange> snapshot = new ArrayDeque<>(Math.max(1, objects.size()));
        for (Map.Entry<String, Versioned> e : objects.entrySet()) {
          snapshot.add(new CachedChange(e.getKey(), e.getValue().revision(), e.getValue().object(), null, false));
        }
        watcher = newWatcher(description, filter, bookmarks, sink, snapshot, revision, this::removeLive);
        live.add(watcher);
      } else if (fromRevision >= window.startRevision()) {
        watcher = newWatcher(description, filter, bookmarks, sink, window.after(fromRevision), fromRevision,
            this::removeLive);
        live.add(watcher);
      } else {
        watcher = newWatcher(description + " (from etcd)", filter, bookmarks, sink, new ArrayDeque<>(),
            fromRevision, this::removeDedicated);
        dedicated.add(watcher);
        fromStorage = true;
      }
    }
    if (fromStorage) {
      startDedicated(watcher, fromRevision);
    }
    return watcher;
  }

  /** Ends every watcher (their sinks hear {@code closed(null)}) and the storage watch. */
  @Override
  public void close() {
    List<CacheWatcher> toEnd;
    Storage.WatchHandle handle;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      ready = false;
      epoch++;
      handle = intake;
      intake = null;
      toEnd = new ArrayList<>(live);
      toEnd.addAll(dedicated);
      lock.notifyAll();
    }
    if (handle != null) {
      handle.close();
    }
    toEnd.forEach(w -> w.terminate(null));
    scheduler.shutdownNow();
    if (ownDeliveryPool != null) {
      ownDeliveryPool.shutdown();
      try {
        ownDeliveryPool.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    MeterRegistry registry = options.meterRegistry();
    if (registry != null) {
      registry.remove(watcherGauge);
      registry.remove(slowWatchers);
    }
  }

  @Override
  public String toString() {
    return "WatchCache(" + prefix + ")";
  }

  private CacheWatcher newWatcher(String description, Predicate<Message> filter, boolean bookmarks, Sink sink,
      ArrayDeque<CachedChange> replay, long skipThrough, java.util.function.Consumer<CacheWatcher> release) {
    return new CacheWatcher(description, filter, bookmarks, sink, deliveryExecutor, withResourceVersion,
        options.watcherBufferSize(), replay, skipThrough, release);
  }

  private void removeLive(CacheWatcher watcher) {
    live.remove(watcher);
  }

  private void removeDedicated(CacheWatcher watcher) {
    dedicated.remove(watcher);
    DedicatedFeed feed = feeds.remove(watcher);
    if (feed != null) {
      feed.stop();
    }
  }

  private void cutOffSlow(CacheWatcher watcher) {
    if (watcher.terminate(ApiException.expired("watcher too slow: more than " + options.watcherBufferSize()
        + " events waiting for it; list again"))) {
      log.info("{} cut off: too slow", watcher);
      if (slowWatchers != null) {
        slowWatchers.increment();
      }
    }
  }

  // ---- loading and intake ----

  private void scheduleLoad(int attempt, Duration delay) {
    try {
      scheduler.schedule(() -> load(attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Lists the prefix at one revision (page by page), installs it and watches from the next revision. */
  private void load(int attempt) {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    long myEpoch;
    try {
      TreeMap<String, Versioned> loaded = new TreeMap<>();
      long listRevision = 0;
      String after = "";
      Storage.Page page;
      do {
        page = storage.list(prefix, after, LIST_PAGE_SIZE, listRevision);
        listRevision = page.revision();
        for (Storage.Entry entry : page.entries()) {
          Message object = decodeOrNull(entry.key(), entry.value());
          if (object != null) {
            loaded.put(entry.key(), new Versioned(withResourceVersion.apply(object, entry.modRevision()),
                entry.modRevision()));
          }
          after = entry.key();
        }
      } while (page.more() && !page.entries().isEmpty());
      synchronized (lock) {
        if (closed) {
          return;
        }
        objects = loaded;
        revision = listRevision;
        window.reset(listRevision);
        myEpoch = ++epoch;
      }
      Storage.WatchHandle handle = storage.watch(prefix, listRevision + 1, new Intake(myEpoch));
      boolean keep;
      synchronized (lock) {
        keep = !closed && epoch == myEpoch;
        if (keep) {
          intake = handle;
          ready = true;
          lock.notifyAll();
        }
      }
      if (!keep) {
        handle.close();
        return;
      }
      log.info("watch cache of {} loaded {} objects at revision {}", prefix, loaded.size(), listRevision);
    } catch (RuntimeException e) {
      Duration delay = RELOAD_MIN_BACKOFF.multipliedBy(1L << Math.min(attempt, 5));
      if (delay.compareTo(RELOAD_MAX_BACKOFF) > 0) {
        delay = RELOAD_MAX_BACKOFF;
      }
      log.warn("watch cache of {}: loading failed ({}); retrying in {} ms", prefix, e.toString(), delay.toMillis());
      scheduleLoad(attempt + 1, delay);
    }
  }

  /** Applies a batch of changes from the storage watch and hands them to the watchers. */
  private void apply(long fromEpoch, List<Storage.Change> changes) {
    synchronized (lock) {
      if (closed || fromEpoch != epoch) {
        return;
      }
      for (Storage.Change change : changes) {
        long rev = change.modRevision();
        if (rev <= revision) {
          continue;
        }
        revision = rev;
        CachedChange cached = toCachedChange(change);
        if (cached == null) {
          continue;
        }
        window.add(cached);
        for (CacheWatcher watcher : live) {
          if (!watcher.offer(cached)) {
            cutOffSlow(watcher);
          }
        }
      }
    }
  }

  // Called with lock held: updates the objects and describes the change, or null when there is nothing to tell.
  private CachedChange toCachedChange(Storage.Change change) {
    String key = change.key();
    long rev = change.modRevision();
    Versioned before = objects.get(key);
    Message previous = before != null ? before.object()
        : change.prevValue() == null ? null : decodeOrNull(key, change.prevValue());
    if (change.deleted()) {
      objects.remove(key);
      if (previous == null) {
        return null;
      }
      return new CachedChange(key, rev, withResourceVersion.apply(previous, rev), previous, true);
    }
    Message object = decodeOrNull(key, change.value());
    if (object == null) {
      return null;
    }
    object = withResourceVersion.apply(object, rev);
    objects.put(key, new Versioned(object, rev));
    return new CachedChange(key, rev, object, previous, false);
  }

  private void progress(long fromEpoch, long progressRevision) {
    synchronized (lock) {
      if (!closed && fromEpoch == epoch && progressRevision > revision) {
        revision = progressRevision;
      }
    }
  }

  /**
   * The storage watch ended for good: every watcher is told to list again (the cache may have missed
   * changes, so it cannot promise them continuity), and the cache loads itself anew.
   */
  private void intakeFailed(long fromEpoch, RuntimeException error) {
    List<CacheWatcher> toEnd;
    synchronized (lock) {
      if (closed || fromEpoch != epoch) {
        return;
      }
      epoch++;
      ready = false;
      intake = null;
      objects = new TreeMap<>();
      window.reset(0);
      toEnd = new ArrayList<>(live);
    }
    log.warn("watch cache of {} lost its storage watch ({}); ending {} watchers and loading again",
        prefix, error.toString(), toEnd.size());
    ApiException expired = ApiException.expired("the watch cache of " + prefix
        + " lost its etcd watch (" + error.getMessage() + "); list again");
    toEnd.forEach(w -> w.terminate(expired));
    scheduleLoad(0, Duration.ZERO);
  }

  private void sendBookmarks() {
    try {
      synchronized (lock) {
        if (ready) {
          for (CacheWatcher watcher : live) {
            watcher.offerBookmark(revision);
          }
        }
      }
      feeds.values().forEach(DedicatedFeed::bookmark);
    } catch (RuntimeException e) {
      log.error("watch cache of {}: sending bookmarks failed", prefix, e);
    }
  }

  private Message decodeOrNull(String key, byte[] value) {
    try {
      return decode.apply(value);
    } catch (RuntimeException e) {
      log.error("watch cache of {}: cannot decode {} ({}); skipping it", prefix, key, e.toString());
      return null;
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The cache's storage watch listener; callbacks of an earlier epoch are ignored. */
  private final class Intake implements Storage.ChangeListener {
    private final long epochOfWatch;

    Intake(long epochOfWatch) {
      this.epochOfWatch = epochOfWatch;
    }

    @Override
    public void onChanges(List<Storage.Change> changes) {
      apply(epochOfWatch, changes);
    }

    @Override
    public void onProgress(long progressRevision) {
      progress(epochOfWatch, progressRevision);
    }

    @Override
    public void onError(RuntimeException error) {
      try {
        scheduler.execute(() -> intakeFailed(epochOfWatch, error));
      } catch (RejectedExecutionException e) {
        // closed
      }
    }
  }

  // ---- watchers older than the window ----

  private void startDedicated(CacheWatcher watcher, long fromRevision) {
    DedicatedFeed feed = new DedicatedFeed(watcher, fromRevision);
    feeds.put(watcher, feed);
    try {
      feed.attach(storage.watch(prefix, fromRevision + 1, feed));
    } catch (RuntimeException e) {
      watcher.terminate(e instanceof ApiException ? (ApiException) e
          : ApiException.internal("cannot watch " + prefix + ": " + e, e));
      throw e;
    }
    if (watcher.isEnded()) {
      feed.stop();
    }
  }

  /**
   * Feeds one watcher from a storage watch of its own, for a revision older than the window. Its
   * previous states come from etcd (prevKV), since the cache's map is ahead of this watcher.
   */
  private final class DedicatedFeed implements Storage.ChangeListener {
    private final CacheWatcher watcher;
    private long seenUpTo; // guarded by this
    private Storage.WatchHandle handle; // guarded by this
    private boolean stopped; // guarded by this

    DedicatedFeed(CacheWatcher watcher, long fromRevision) {
      this.watcher = watcher;
      this.seenUpTo = fromRevision;
    }

    synchronized void attach(Storage.WatchHandle h) {
      if (stopped) {
        h.close();
      } else {
        handle = h;
      }
    }

    void stop() {
      Storage.WatchHandle h;
      synchronized (this) {
        stopped = true;
        h = handle;
        handle = null;
      }
      if (h != null) {
        h.close();
      }
    }

    @Override
    public synchronized void onChanges(List<Storage.Change> changes) {
      for (Storage.Change change : changes) {
        if (change.modRevision() <= seenUpTo) {
          continue;
        }
        seenUpTo = change.modRevision();
        CachedChange cached = describe(change);
        if (cached != null && !watcher.offer(cached)) {
          cutOffSlow(watcher);
          return;
        }
      }
    }

    @Override
    public synchronized void onProgress(long progressRevision) {
      seenUpTo = Math.max(seenUpTo, progressRevision);
    }

    @Override
    public void onError(RuntimeException error) {
      watcher.terminate(error instanceof ApiException ? (ApiException) error
          : ApiException.internal("watch of " + prefix + " failed: " + error, error));
    }

    synchronized void bookmark() {
      watcher.offerBookmark(seenUpTo);
    }

    private CachedChange describe(Storage.Change change) {
      Message previous = change.prevValue() == null ? null : decodeOrNull(change.key(), change.prevValue());
      long rev = change.modRevision();
      if (change.deleted()) {
        return previous == null ? null
            : new CachedChange(change.key(), rev, withResourceVersion.apply(previous, rev), previous, true);
      }
      Message object = decodeOrNull(change.key(), change.value());
      return object == null ? null
          : new CachedChange(change.key(), rev, withResourceVersion.apply(object, rev), previous, false);
    }
  }
}
