package io.minik8s.kubeproxy.sync;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sync function on a thread of its own, as often as asked but no more than once per
 * {@code minInterval}, and at least once per {@code maxInterval} (Kubernetes' kube-proxy has the same
 * idea in its BoundedFrequencyRunner). A burst of {@link #requestSync} calls between two runs becomes
 * one run; a periodic run repairs what someone changed behind our back.
 *
 * <p>The function is told whether a run is {@code full}: the periodic runs, and every run until the
 * first one succeeds. A run that throws is logged and retried after {@code minInterval}.
 * {@link #requestSync} is cheap and may be called from any thread; the function is only ever called
 * from the runner's thread, one run at a time.
 */
public final class BoundedFrequencyRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoundedFrequencyRunner.class);

  /** What the runner runs. */
  @FunctionalInterface
  public interface SyncFunction {
    void sync(boolean full) throws Exception;
  }

  private final String name;
  private final Duration minInterval;
  private final Duration maxInterval;
  private final SyncFunction function;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean dirty = true;
  private boolean running;
  private Thread thread;

  public BoundedFrequencyRunner(String name, Duration minInterval, Duration maxInterval, SyncFunction function) {
    if (minInterval.compareTo(maxInterval) > 0) {
      throw new IllegalArgumentException(name + ": min interval " + minInterval + " exceeds max interval " + maxInterval);
    }
    this.name = name;
    this.minInterval = minInterval;
    this.maxInterval = maxInterval;
    this.function = function;
  }

  /** Asks for a run: now if the last one is {@code minInterval} ago, else as soon as it is. */
  public void requestSync() {
    lock.lock();
    try {
      dirty = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Starts the thread; the first run happens at once. */
  public void start() {
    lock.lock();
    try {
      if (running) {
        throw new IllegalStateException(name + " already started");
      }
      running = true;
      thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    long lastRun = System.nanoTime() - minInterval.toNanos();
    long lastFull = System.nanoTime();
    boolean succeeded = false;
    while (true) {
      boolean periodic;
      lock.lock();
      try {
        while (true) {
          if (!running) {
            return;
          }
          long now = System.nanoTime();
          long nextAllowed = lastRun + minInterval.toNanos();
          long nextFull = lastFull + maxInterval.toNanos();
          if (now >= nextFull) {
            periodic = true;
            break;
          }
          if (dirty && now >= nextAllowed) {
            periodic = false;
            break;
          }
          long wait = (dirty ? Math.min(nextAllowed, nextFull) : nextFull) - now;
          changed.awaitNanos(Math.max(wait, 1));
        }
        dirty = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      lastRun = System.nanoTime();
      if (periodic) {
        lastFull = lastRun;
      }
      try {
        function.sync(periodic || !succeeded);
        succeeded = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.atError().addKeyValue("runner", name).setCause(e).log("sync failed; retrying");
        requestSync();
      }
    }
  }

  /** Stops the thread, waiting for a run in progress to end (at most 10 s). */
  @Override
  public void close() throws InterruptedException {
    Thread t;
    lock.lock();
    try {
      running = false;
      changed.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.join(10_000);
    }
  }
}
