package io.minik8s.client.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A de-duplicating, rate-limited queue of keys with client-go's semantics. Thread-safe.
 *
 * <p>The life of a key: {@link #add} marks it dirty and queues it (once, however many adds);
 * {@link #take} hands it to one worker and marks it processing; {@link #done} ends processing. A key
 * added while processing is not queued at once (that could put it in two workers) but right after
 * {@code done}. So: a key is never processed by two workers concurrently, and every add is followed by
 * at least one processing that starts after it.
 *
 * <p>Keys come out in first-added order. Delayed adds ({@link #addAfter}, {@link #addRateLimited}) are
 * kept once per key at the earliest requested time. After {@link #shutDown} adds are ignored and
 * {@link #take} returns null at once, even if keys were waiting: a controller that stops (for example
 * on losing leadership) must not start more work.
 *
 * <p>Metrics (tag {@code name}): {@code workqueue.depth} (keys waiting), {@code workqueue.adds}
 * (adds that were not de-duplicated away), {@code workqueue.retries} (rate-limited re-adds).
 *
 * @param <K> the key type; must have value equality ({@code "namespace/name"} strings usually)
 */
public final class WorkQueue<K> {
  private final String name;
  private final TaskScheduler scheduler;
  private final RateLimiter<K> rateLimiter;
  private final Counter adds;
  private final Counter retries;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Waiting> waiting = new HashMap<>();
  private boolean shuttingDown;

  private WorkQueue(Builder<K> b) {
    this.name = b.name;
    this.scheduler = b.scheduler;
    this.rateLimiter = b.rateLimiter != null ? b.rateLimiter : RateLimiter.defaultControllerRateLimiter();
    MeterRegistry registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
    Gauge.builder("workqueue.depth", this, WorkQueue::len).tag("name", name)
        .description("keys waiting to be processed").register(registry);
    this.adds = Counter.builder("workqueue.adds").tag("name", name)
        .description("keys added and not already waiting").register(registry);
    this.retries = Counter.builder("workqueue.retries").tag("name", name)
        .description("rate-limited re-adds after a failure").register(registry);
  }

  public static <K> Builder<K> builder(String name) {
    return new Builder<>(name);
  }

  /** A queue with the system scheduler, the default rate limiter and no exported metrics. */
  public static <K> WorkQueue<K> create(String name) {
    return WorkQueue.<K>builder(name).build();
  }

  public String name() {
    return name;
  }

  /** Queues {@code key} unless it is already waiting; ignored after shut-down. */
  public void add(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(K key) {
    if (shuttingDown || !dirty.add(key)) {
      return;
    }
    adds.increment();
    if (processing.contains(key)) {
      return; // done() queues it
    }
    queue.addLast(key);
    notEmpty.signal();
  }

  /**
   * Waits for a key and marks it processing; the caller must call {@link #done} with it.
   *
   * @return the key, or null once the queue is shut down
   */
  public K take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && !shuttingDown) {
        notEmpty.await();
      }
      if (shuttingDown) {
        return null;
      }
      K key = queue.pollFirst();
      dirty.remove(key);
      processing.add(key);
      return key;
    } finally {
      lock.unlock();
    }
  }

  /** Ends processing of {@code key}; if it was added meanwhile, queues it again. */
  public void done(K key) {
    lock.lock();
    try {
      if (processing.remove(key) && dirty.contains(key) && !shuttingDown) {
        queue.addLast(key);
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds {@code key} once {@code delay} has passed (at once if it is not positive). If the key already
   * waits for a delayed add, the earlier of the two times is kept.
   */
  public void addAfter(K key, Duration delay) {
    Objects.requireNonNull(key, "key");
    if (delay.isNegative() || delay.isZero()) {
      add(key);
      return;
    }
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      long readyAt = scheduler.nanoTime() + delay.toNanos();
      Waiting previous = waiting.get(key);
      if (previous != null) {
        if (previous.readyAt <= readyAt) {
          return;
        }
        previous.handle.cancel();
      }
      Waiting w = new Waiting(readyAt);
      waiting.put(key, w);
      // Any run of the task needs the lock we hold, so it sees w.handle set.
      w.handle = scheduler.schedule(() -> fire(key, w), delay);
    } finally {
      lock.unlock();
    }
  }

  private void fire(K key, Waiting w) {
    lock.lock();
    try {
      if (waiting.get(key) == w) {
        waiting.remove(key);
        addLocked(key);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code key} after the back-off its rate limiter gives (one more failure on record). */
  public void addRateLimited(K key) {
    retries.increment();
    addAfter(key, rateLimiter.when(key));
  }

  /** Clears the failure history of {@code key}: its next failure starts the back-off afresh. */
  public void forget(K key) {
    rateLimiter.forget(key);
  }

  /** How many failures of {@code key} are on record. */
  public int retries(K key) {
    return rateLimiter.retries(key);
  }

  /** How many keys wait to be taken (not counting processing or delayed ones). */
  public int len() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the queue: adds are ignored, delayed adds cancelled, {@link #take} returns null. */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      waiting.values().forEach(w -> w.handle.cancel());
      waiting.clear();
      queue.clear();
      dirty.clear();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  private static final class Waiting {
    final long readyAt;
    TaskScheduler.Cancellable handle;

    Waiting(long readyAt) {
      this.readyAt = readyAt;
    }
  }

  /** Options of a queue; everything but the name has a default. */
  public static final class Builder<K> {
    private final String name;
    private TaskScheduler scheduler = TaskScheduler.system();
    private RateLimiter<K> rateLimiter;
    private MeterRegistry registry;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Where time and delayed adds come from (default: {@link TaskScheduler#system()}). */
    public Builder<K> scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler);
      return this;
    }

    /** Default: {@link RateLimiter#defaultControllerRateLimiter()}. */
    public Builder<K> rateLimiter(RateLimiter<K> rateLimiter) {
      this.rateLimiter = Objects.requireNonNull(rateLimiter);
      return this;
    }

    /** Where the queue's metrics go (default: nowhere). */
    public Builder<K> meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry);
      return this;
    }

    public WorkQueue<K> build() {
      return new WorkQueue<>(this);
    }
  }
}
