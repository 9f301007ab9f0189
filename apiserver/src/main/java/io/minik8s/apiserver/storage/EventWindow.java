package io.minik8s.apiserver.storage;

import java.util.ArrayDeque;

/**
 * The most recent changes of a watch cache, in revision order, bounded: a ring buffer that drops
 * the oldest change when full. It answers "every change after revision r" for any r at or above
 * {@link #startRevision()}; older requests cannot be served from here.
 *
 * <p>Not thread-safe: the watch cache guards it with its lock.
 */
final class EventWindow {
  private final CachedChange[] ring;
  private int head;
  private int size;
  private long startRevision;

  EventWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("window capacity must be at least 1, not " + capacity);
    }
    this.ring = new CachedChange[capacity];
  }

  /** Empties the window; it then serves requests from {@code revision} on. */
  void reset(long revision) {
    java.util.Arrays.fill(ring, null);
    head = 0;
    size = 0;
    startRevision = revision;
  }

  /** Appends a change; its revision must be higher than every change already here. */
  void add(CachedChange change) {
    if (size == ring.length) {
      startRevision = ring[head].revision();
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
    }
    ring[(head + size) % ring.length] = change;
    size++;
  }

  /** Every change after this revision is in the window. */
  long startRevision() {
    return startRevision;
  }

  int size() {
    return size;
  }

  /** The changes with a revision above {@code revision}, oldest first. Requires {@code revision >= startRevision()}. */
  ArrayDeque<CachedChange> after(long revision) {
    if (revision < startRevision) {
      throw new IllegalArgumentException("revision " + revision + " is older than the window (" + startRevision + ")");
    }
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (at(mid).revision() <= revision) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    ArrayDeque<CachedChange> result = new ArrayDeque<>(Math.max(1, size - lo));
    for (int i = lo; i < size; i++) {
      result.add(at(i));
    }
    return result;
  }

  private CachedChange at(int index) {
    return ring[(head + index) % ring.length];
  }
}
