package io.minik8s.scheduler.queue;

import io.minik8s.api.Pod;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The pods waiting to be scheduled, after kube-scheduler's priority queue.
 *
 * <p>Every pod the queue knows (by uid) is in exactly one state:
 * <ul>
 *   <li><b>active</b>: ready for an attempt; handed out by {@link #pop()} in order of
 *       {@code spec.priority} (higher first), then creation time, then namespace/name;</li>
 *   <li><b>backing off</b>: its last attempt failed; it becomes active when its back-off ends
 *       (1 s after the first failure, doubling per failure up to 10 s by default), or earlier on
 *       {@link #moveAllToActive} (a node appeared or changed, a bound pod went away: the cluster may
 *       now have room for it), or when its spec changes;</li>
 *   <li><b>in flight</b>: popped, being scheduled or bound. It ends with {@link #done} (bound, or
 *       dropped) or {@link #requeue} (failed: back off). Updates meanwhile only replace the stored pod;
 *       a delete meanwhile makes the later requeue a no-op.</li>
 * </ul>
 *
 * <p>A move request that arrives while a pod is in flight must not be lost: the attempt may have
 * used a snapshot taken before the change. So each pop gets a cycle number, and a pod requeued from
 * a cycle that started before the latest move request goes straight back to active.
 *
 * <p>Thread-safe: informer threads add, update and delete; the scheduling thread pops; binder threads
 * requeue and finish. One lock; {@link #pop()} is the only blocking call.
 */
public final class SchedulingQueue implements AutoCloseable {
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

  private enum State { ACTIVE, BACKOFF, IN_FLIGHT }

  private static final class Entry {
    Pod pod;
    final long firstSeenNanos;
    final long sequence;
    /** namespace/name: fixed for a uid, so made once rather than in every comparison of the heap. */
    final String name;
    int attempts;
    long readyAtNanos;
    State state;
    boolean deleted;

    Entry(Pod pod, long firstSeenNanos, long sequence) {
      this.pod = pod;
      this.firstSeenNanos = firstSeenNanos;
      this.sequence = sequence;
      this.name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    int priority() {
      return pod.getSpec().hasPriority() ? pod.getSpec().getPriority() : 0;
    }

    long created() {
      com.google.protobuf.Timestamp t = pod.getMetadata().getCreationTimestamp();
      return t.getSeconds() * 1_000_000_000L + t.getNanos();
    }

    String name() {
      return name;
    }
  }

  private static final Comparator<Entry> ACTIVE_ORDER = Comparator
      .comparingInt((Entry e) -> -e.priority())
      .thenComparingLong(Entry::created)
      .thenComparing(Entry::name)
      .thenComparingLong(e -> e.sequence);

  private static final Comparator<Entry> BACKOFF_ORDER = Comparator
      .comparingLong((Entry e) -> e.readyAtNanos)
      .thenComparingLong(e -> e.sequence);

  private final LongSupplier nanoTime;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  private final Map<String, Entry> entries = new HashMap<>();
  private final PriorityQueue<Entry> active = new PriorityQueue<>(ACTIVE_ORDER);
  private final PriorityQueue<Entry> backoff = new PriorityQueue<>(BACKOFF_ORDER);
  private long sequence;
  private long schedulingCycle;
  private long moveRequestCycle = -1;
  private boolean closed;

  public SchedulingQueue(LongSupplier nanoTime, Duration initialBackoff, Duration maxBackoff) {
    if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff, got " + initialBackoff
          + ", " + maxBackoff);
    }
    this.nanoTime = nanoTime;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  public SchedulingQueue() {
    this(System::nanoTime, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  /**
   * A pending pod appeared or changed. New: it becomes active. Known: the stored version is replaced;
   * a pod backing off whose spec changed becomes active again (it may fit now).
   */
  public void add(Pod pod) {
    String uid = pod.getMetadata().getUid();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Entry e = entries.get(uid);
      if (e == null) {
        e = new Entry(pod, nanoTime.getAsLong(), sequence++);
        entries.put(uid, e);
        activate(e);
        return;
      }
      boolean specChanged = !e.pod.getSpec().equals(pod.getSpec());
      switch (e.state) {
        case ACTIVE:
          active.remove(e);
          e.pod = pod;
          active.add(e);
          break;
        case BACKOFF:
          e.pod = pod;
          if (specChanged) {
            backoff.remove(e);
            activate(e);
          }
          break;
        default:
          e.pod = pod;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The pod is no longer pending (deleted, bound, being deleted): forget it. */
  public void delete(String uid) {
    lock.lock();
    try {
      Entry e = entries.get(uid);
      if (e == null) {
        return;
      }
      switch (e.state) {
        case ACTIVE:
          active.remove(e);
          entries.remove(uid);
          break;
        case BACKOFF:
          backoff.remove(e);
          entries.remove(uid);
          break;
        default:
          e.deleted = true; // removed when its attempt ends
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for an active pod and hands it out (now in flight), first moving every pod whose back-off
   * has ended to active.
   *
   * @return the pod, or empty once the queue is closed
   */
  public Optional<QueuedPod> pop() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        if (closed) {
          return Optional.empty();
        }
        Optional<QueuedPod> next = takeActive();
        if (next.isPresent()) {
          return next;
        }
        Entry first = backoff.peek();
        if (first == null) {
          changed.await();
        } else {
          changed.await(Math.max(1, first.readyAtNanos - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #pop()} but never waits: empty when no pod is active now. */
  public Optional<QueuedPod> poll() {
    lock.lock();
    try {
      return closed ? Optional.empty() : takeActive();
    } finally {
      lock.unlock();
    }
  }

  /**
   * An attempt failed (no node fits, or the bind failed): the pod backs off, one step longer than
   * last time, with {@code latest} as its stored version. It goes straight back to active instead
   * when a move request came in since its attempt began. Nothing happens if it was deleted meanwhile.
   */
  public void requeue(QueuedPod attempt, Pod latest) {
    lock.lock();
    try {
      Entry e = entries.get(attempt.uid());
      if (e == null || e.state != State.IN_FLIGHT) {
        return;
      }
      if (e.deleted || closed) {
        entries.remove(attempt.uid());
        return;
      }
      if (latest != null) {
        e.pod = latest;
      }
      e.attempts++;
      if (moveRequestCycle >= attempt.cycle()) {
        activate(e);
      } else {
        e.state = State.BACKOFF;
        e.readyAtNanos = nanoTime.getAsLong() + backoffFor(e.attempts);
        backoff.add(e);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The attempt ended for good (bound, or the pod no longer needs scheduling): forget the pod. */
  public void done(String uid) {
    lock.lock();
    try {
      Entry e = entries.get(uid);
      if (e != null && e.state == State.IN_FLIGHT) {
        entries.remove(uid);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Something changed that may let waiting pods fit (a node was added or changed, a bound pod went
   * away): every pod backing off becomes active now, and pods in flight will too if they fail.
   */
  public void moveAllToActive() {
    lock.lock();
    try {
      moveRequestCycle = schedulingCycle;
      Entry e;
      while ((e = backoff.poll()) != null) {
        activate(e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The back-off after {@code attempts} failed attempts: initial * 2^(attempts-1), at most the maximum. */
  public Duration backoffAfter(int attempts) {
    return Duration.ofNanos(backoffFor(attempts));
  }

  public int activeCount() {
    lock.lock();
    try {
      return active.size();
    } finally {
      lock.unlock();
    }
  }

  /** Pods backing off (their back-off may have ended already: they move to active on the next pop). */
  public int backoffCount() {
    lock.lock();
    try {
      return backoff.size();
    } finally {
      lock.unlock();
    }
  }

  /** Every pod the queue knows, in any state. */
  public int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  public boolean contains(String uid) {
    lock.lock();
    try {
      return entries.containsKey(uid);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes {@link #pop()} (which then returns empty) and ignores later adds. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ under the lock

  private Optional<QueuedPod> takeActive() {
    long now = nanoTime.getAsLong();
    Entry b;
    while ((b = backoff.peek()) != null && now - b.readyAtNanos >= 0) {
      backoff.poll();
      activate(b);
    }
    Entry e = active.poll();
    if (e == null) {
      return Optional.empty();
    }
    e.state = State.IN_FLIGHT;
    schedulingCycle++;
    return Optional.of(new QueuedPod(e.pod, e.attempts, e.firstSeenNanos, schedulingCycle));
  }

  private void activate(Entry e) {
    e.state = State.ACTIVE;
    active.add(e);
    changed.signalAll();
  }

  private long backoffFor(int attempts) {
    long d = initialBackoffNanos;
    for (int i = 1; i < attempts && d < maxBackoffNanos; i++) {
      d *= 2;
    }
    return Math.min(d, maxBackoffNanos);
  }
}
