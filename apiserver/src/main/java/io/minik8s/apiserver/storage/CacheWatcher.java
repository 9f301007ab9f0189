package io.minik8s.apiserver.storage;

import com.google.protobuf.Message;
import io.minik8s.apiserver.storage.WatchCache.Event;
import io.minik8s.apiserver.storage.WatchCache.EventType;
import io.minik8s.client.api.ApiException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher of a {@link WatchCache}: its filter, its bounded queue and its delivery to a
 * {@link WatchCache.Sink}.
 *
 * <p>Two inputs, one output. The replay (initial ADDED events, or changes from the cache's window)
 * is fixed when the watcher is made and is filtered at delivery time; it does not count against the
 * queue. Live changes are filtered by the producer ({@link #offer}) and queued; a full queue makes
 * {@code offer} return false and the producer cuts the watcher off. Delivery runs on the executor,
 * at most one drain at a time per watcher (the {@code scheduled} flag), replay first, then the queue,
 * so the sink sees events in revision order and never two calls at once. A drain delivers a bounded
 * batch and reschedules itself, so one busy watcher cannot hold a delivery thread.
 *
 * <p>Flow control: when {@code send} returns false delivery pauses until {@link #resume()}. A
 * resume that races with that false is not lost (see {@code resumeSignals}).
 *
 * <p>The watch ends exactly once ({@link #terminate}); the sink then hears {@code closed} exactly
 * once, on a delivery thread, after its last {@code send} has returned; queued events are dropped.
 */
final class CacheWatcher implements WatchCache.Watcher {
  private static final Logger log = LoggerFactory.getLogger(CacheWatcher.class);
  private static final int BATCH = 128;

  private final String description;
  private final Predicate<Message> filter;
  private final boolean bookmarks;
  private final WatchCache.Sink sink;
  private final Executor executor;
  private final BiFunction<Message, Long, Message> withResourceVersion;
  private final Consumer<CacheWatcher> release;
  private final long skipThrough;
  private final BlockingQueue<Event> queue;
  private final ArrayDeque<CachedChange> replay; // delivery thread only
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong resumeSignals = new AtomicLong();
  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private volatile boolean paused;
  private boolean finished; // delivery thread only

  private record Ending(ApiException error) {}

  /**
   * @param skipThrough live changes at or below this revision are not delivered (they are in the
   *     replay, or precede the revision the watcher asked to start after)
   * @param release called once when the watcher ends, to take it out of its producer's bookkeeping
   */
  CacheWatcher(String description, Predicate<Message> filter, boolean bookmarks, WatchCache.Sink sink,
      Executor executor, BiFunction<Message, Long, Message> withResourceVersion, int bufferSize,
      ArrayDeque<CachedChange> replay, long skipThrough, Consumer<CacheWatcher> release) {
    this.description = description;
    this.filter = filter;
    this.bookmarks = bookmarks;
    this.sink = sink;
    this.executor = executor;
    this.withResourceVersion = withResourceVersion;
    this.queue = new ArrayBlockingQueue<>(bufferSize);
    this.replay = replay;
    this.skipThrough = skipThrough;
    this.release = release;
  }

  /**
   * The event this watcher sees for a change, or null: Kubernetes' transition rules. An object that
   * starts matching the filter is ADDED, one that keeps matching is MODIFIED, one that stops matching
   * is DELETED (its previous state, with the change's revision), a deleted one that matched is DELETED.
   */
  static Event eventFor(CachedChange change, Predicate<Message> filter,
      BiFunction<Message, Long, Message> withResourceVersion) {
    if (change.deleted()) {
      return filter.test(change.object())
          ? new Event(EventType.DELETED, change.object(), change.revision(), change.encodings()) : null;
    }
    boolean matchesNow = filter.test(change.object());
    boolean matchedBefore = change.previous() != null && filter.test(change.previous());
    if (matchesNow) {
      return new Event(matchedBefore ? EventType.MODIFIED : EventType.ADDED, change.object(), change.revision(),
          change.encodings());
    }
    if (matchedBefore) {
      return new Event(EventType.DELETED, withResourceVersion.apply(change.previous(), change.revision()),
          change.revision(), change.encodings());
    }
    return null;
  }

  /**
   * Queues the event this watcher sees for a live change, if any. Returns false only when the queue
   * is full: the caller must then cut the watcher off.
   */
  boolean offer(CachedChange change) {
    if (ending.get() != null || change.revision() <= skipThrough) {
      return true;
    }
    Event event;
    try {
      event = eventFor(change, filter, withResourceVersion);
    } catch (RuntimeException e) {
      terminate(ApiException.internal("watch filter failed on " + change.key() + ": " + e, e));
      return true;
    }
    if (event == null) {
      return true;
    }
    if (!queue.offer(event)) {
      return false;
    }
    schedule();
    return true;
  }

  /** Queues a BOOKMARK at {@code revision} when this watcher asked for bookmarks and has room for it. */
  void offerBookmark(long revision) {
    if (!bookmarks || ending.get() != null || revision <= skipThrough) {
      return;
    }
    // A bookmark is only a hint: a full queue skips it rather than cutting the watcher off.
    if (queue.offer(new Event(EventType.BOOKMARK, null, revision))) {
      schedule();
    }
  }

  boolean wantsBookmarks() {
    return bookmarks;
  }

  /** Ends the watch; the sink hears {@code closed(error)}. Only the first call counts. */
  boolean terminate(ApiException error) {
    if (!ending.compareAndSet(null, new Ending(error))) {
      return false;
    }
    try {
      release.accept(this);
    } finally {
      schedule();
    }
    return true;
  }

  boolean isEnded() {
    return ending.get() != null;
  }

  @Override
  public void resume() {
    resumeSignals.incrementAndGet();
    paused = false;
    schedule();
  }

  @Override
  public void close() {
    terminate(null);
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The cache is shutting down its delivery threads; nothing more will be delivered.
        scheduled.set(false);
      }
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < BATCH; i++) {
        Ending end = ending.get();
        if (end != null) {
          finish(end);
          return;
        }
        if (paused) {
          return;
        }
        Event event = next();
        if (event == null) {
          return;
        }
        long signals = resumeSignals.get();
        boolean more;
        try {
          more = sink.send(event);
        } catch (RuntimeException e) {
          log.warn("{}: receiver failed, ending the watch: {}", description, e.toString());
          terminate(ApiException.internal("watch receiver failed: " + e, e));
          continue;
        }
        if (!more) {
          paused = true;
          if (resumeSignals.get() != signals) {
            paused = false;
          }
        }
      }
    } finally {
      scheduled.set(false);
      if (hasWork()) {
        schedule();
      }
    }
  }

  private Event next() {
    while (!replay.isEmpty()) {
      CachedChange change = replay.poll();
      Event event;
      try {
        event = eventFor(change, filter, withResourceVersion);
      } catch (RuntimeException e) {
        terminate(ApiException.internal("watch filter failed on " + change.key() + ": " + e, e));
        return null;
      }
      if (event != null) {
        return event;
      }
    }
    return queue.poll();
  }

  private boolean hasWork() {
    if (ending.get() != null) {
      return !finished;
    }
    return !paused && (!replay.isEmpty() || !queue.isEmpty());
  }

  private void finish(Ending end) {
    if (finished) {
      return;
    }
    finished = true;
    queue.clear();
    replay.clear();
    try {
      sink.closed(end.error());
    } catch (RuntimeException e) {
      log.warn("{}: receiver failed on close: {}", description, e.toString());
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
