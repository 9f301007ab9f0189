package io.minik8s.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so: {@link #advance} runs every task that has
 * come due, in due-time order (ties in scheduling order), on the calling thread. It is also a
 * {@link Clock} whose wall time moves with it, for code that writes timestamps (leases).
 *
 * <p>Thread-safe; tasks never run concurrently with each other because only {@code advance} runs them.
 */
public final class ManualTaskScheduler extends Clock implements TaskScheduler {
  private final Instant epoch;
  private final PriorityQueue<Entry> tasks = new PriorityQueue<>();
  private long now;
  private long sequence;

  public ManualTaskScheduler() {
    this(Instant.parse("2024-01-01T00:00:00Z"));
  }

  public ManualTaskScheduler(Instant wallTimeAtStart) {
    this.epoch = wallTimeAtStart;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Entry e = new Entry(now + Math.max(0, delay.toNanos()), sequence++, task);
    tasks.add(e);
    return () -> {
      synchronized (ManualTaskScheduler.this) {
        tasks.remove(e);
      }
    };
  }

  /** Moves time forward by {@code d}, running each task when its due time is reached. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Entry next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.due);
      }
      next.task.run();
    }
  }

  /** Runs the tasks due now without moving time. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /** How many tasks wait to run. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a manual clock is always UTC");
  }

  @Override
  public synchronized Instant instant() {
    return epoch.plusNanos(now);
  }

  private record Entry(long due, long sequence, Runnable task) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
