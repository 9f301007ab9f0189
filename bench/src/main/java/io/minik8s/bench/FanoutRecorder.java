package io.minik8s.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every watcher of a fan-out received: when it first saw each of the {@code events} writes (by
 * index), how often it saw one again (duplicates), whether revisions ever went backwards, and whether its
 * watch ended with an error.
 *
 * <p>Thread-safety: {@link #received} for one watcher must be called by one thread at a time (each watch
 * delivers its events serially); different watchers may call concurrently. Each first receipt is published
 * through an atomic counter, so {@link #latencies} sees every receipt that {@link #awaitAll} counted.
 */
final class FanoutRecorder {
  private final int watchers;
  private final int events;
  private final long[][] receivedAt;
  private final long[] lastRevision;
  private final AtomicIntegerArray distinct;
  private final AtomicIntegerArray ended;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private final List<String> errors = new ArrayList<>();

  FanoutRecorder(int watchers, int events) {
    this.watchers = watchers;
    this.events = events;
    this.receivedAt = new long[watchers][events];
    this.lastRevision = new long[watchers];
    this.distinct = new AtomicIntegerArray(watchers);
    this.ended = new AtomicIntegerArray(watchers);
  }

  /** Watcher {@code watcher} received write {@code index}, written at {@code revision}. */
  void received(int watcher, int index, long revision) {
    long now = System.nanoTime();
    if (revision < lastRevision[watcher]) {
      outOfOrder.incrementAndGet();
    }
    lastRevision[watcher] = revision;
    if (receivedAt[watcher][index] != 0) {
      duplicates.incrementAndGet();
      return;
    }
    receivedAt[watcher][index] = now;
    distinct.incrementAndGet(watcher);
  }

  /** The watch of {@code watcher} ended; {@code error} is null for a clean end. */
  void ended(int watcher, Throwable error) {
    ended.set(watcher, 1);
    if (error != null) {
      synchronized (errors) {
        errors.add(error.getMessage());
      }
    }
  }

  /** Waits until every watcher has every event or has ended; false on timeout. */
  boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (complete()) {
        return true;
      }
      Thread.sleep(20);
    }
    return complete();
  }

  private boolean complete() {
    for (int w = 0; w < watchers; w++) {
      if (distinct.get(w) < events && ended.get(w) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Events some watcher never received. */
  long missed() {
    long missed = 0;
    for (int w = 0; w < watchers; w++) {
      missed += events - distinct.get(w);
    }
    return missed;
  }

  long duplicates() {
    return duplicates.get();
  }

  long outOfOrder() {
    return outOfOrder.get();
  }

  /** Watches that ended with an error, and the first messages. */
  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /**
   * Delivery latency of every receipt: received minus {@code acknowledgedAt[index]} (when the write call
   * returned), and received minus {@code writeStartedAt[index]}. A watcher can hear of a write before its
   * writer hears the acknowledgement: such samples count as 0 from the acknowledgement and are counted in
   * {@code beforeAck}.
   */
  Delivery latencies(long[] writeStartedAt, long[] acknowledgedAt) {
    long[] fromAck = new long[watchers * events];
    long[] fromStart = new long[watchers * events];
    int n = 0;
    long beforeAck = 0;
    for (int w = 0; w < watchers; w++) {
      for (int i = 0; i < events; i++) {
        long at = receivedAt[w][i];
        if (at != 0) {
          long latency = at - acknowledgedAt[i];
          if (latency < 0) {
            beforeAck++;
            latency = 0;
          }
          fromAck[n] = latency;
          fromStart[n++] = at - writeStartedAt[i];
        }
      }
    }
    return new Delivery(Percentiles.ofNanos(fromAck, n), Percentiles.ofNanos(fromStart, n), beforeAck);
  }

  /**
   * @param fromAck acknowledgement to receipt (0 when the receipt came first)
   * @param fromWrite the write call's start to receipt: the whole path, never negative
   * @param beforeAck receipts that came before the writer had its acknowledgement
   */
  record Delivery(Percentiles fromAck, Percentiles fromWrite, long beforeAck) {}
}
