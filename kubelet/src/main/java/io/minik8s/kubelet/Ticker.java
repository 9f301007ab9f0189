package io.minik8s.kubelet;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic task on a scheduler shared with other tasks (one node's status updates, lease renewals and
 * relists, or those of a thousand hollow nodes on a few threads): each run returns how long to wait
 * before the next one, counted from the end of the run.
 *
 * <p>Guarantees: runs of one ticker never overlap; after {@link #close()} no new run starts (one in
 * progress finishes; the shared scheduler is not stopped, its owner does that). A run that throws is
 * logged and followed by another after {@link #AFTER_FAILURE}. Thread-safe.
 */
public final class Ticker implements AutoCloseable {
  static final Duration AFTER_FAILURE = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(Ticker.class);

  private final String name;
  private final ScheduledExecutorService scheduler;
  private final Supplier<Duration> task;
  private ScheduledFuture<?> next;
  private boolean closed;

  /** @param task one run; returns the delay before the next */
  public Ticker(String name, ScheduledExecutorService scheduler, Supplier<Duration> task) {
    this.name = Objects.requireNonNull(name, "name");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.task = Objects.requireNonNull(task, "task");
  }

  /** Schedules the first run after {@code initialDelay}. */
  public void start(Duration initialDelay) {
    schedule(initialDelay);
  }

  private synchronized void schedule(Duration delay) {
    if (closed) {
      return;
    }
    try {
      next = scheduler.schedule(this::run, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      closed = true; // the shared scheduler is shutting down: so is everything on it
    }
  }

  private void run() {
    Duration delay;
    try {
      delay = task.get();
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("task", name).setCause(e).log("periodic task failed");
      delay = AFTER_FAILURE;
    }
    schedule(delay);
  }

  /** Cancels the next run. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel(false);
    }
  }
}
