package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Monotonic time and delayed tasks: the one seam through which the work queue, its rate limiters and
 * leader election see time, so tests can drive it ({@link ManualTaskScheduler}).
 */
public interface TaskScheduler {
  /** Monotonic nanoseconds, comparable only with other readings of this scheduler. */
  long nanoTime();

  /** Runs {@code task} once, no earlier than {@code delay} from now. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A handle on a scheduled task. */
  interface Cancellable {
    /** Stops the task from running if it has not started; harmless when it already ran. */
    void cancel();
  }

  /**
   * The JVM-wide scheduler on one daemon thread. Tasks given to it must be short and must not block
   * (the work queue's are: they only add a key).
   */
  static TaskScheduler system() {
    return SystemTaskScheduler.SHARED;
  }

  /**
   * A scheduler with its own daemon thread, for tasks that may block (leader election's API calls).
   * {@link SystemTaskScheduler#close()} stops the thread.
   */
  static SystemTaskScheduler singleThread(String threadName) {
    return new SystemTaskScheduler(threadName);
  }

  /** The real scheduler: {@link System#nanoTime()} and a {@link ScheduledExecutorService}. */
  final class SystemTaskScheduler implements TaskScheduler, AutoCloseable {
    static final SystemTaskScheduler SHARED = new SystemTaskScheduler("minik8s-delayed-tasks");

    private final ScheduledThreadPoolExecutor executor;

    SystemTaskScheduler(String threadName) {
      executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
      });
      executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
