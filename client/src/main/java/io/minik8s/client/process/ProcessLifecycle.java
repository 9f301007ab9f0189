package io.minik8s.client.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orderly shut-down of a process. Components are registered as they start; {@link #shutdown} (called
 * by the SIGTERM/SIGINT hook, or by the process itself, e.g. on losing leadership) closes them in
 * reverse order, newest first, so nothing is closed while something started later still uses it.
 *
 * <p>Guarantees: the close sequence runs once, whoever triggers it and however often. A close that
 * throws is logged and the others still run. The whole sequence is bounded by the time limit: when it
 * is exceeded the shutdown is reported as incomplete, naming the component still closing, and
 * {@code shutdown} returns (the JVM then exits without waiting for it). Thread-safe.
 */
public final class ProcessLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

  private final String processName;
  private final Duration timeLimit;
  private final List<Registered> closeables = new ArrayList<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicReference<String> closing = new AtomicReference<>();
  private boolean shuttingDown;

  public ProcessLifecycle(String processName, Duration timeLimit) {
    this.processName = Objects.requireNonNull(processName, "processName");
    this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
  }

  /**
   * Registers {@code closeable} to be closed on shutdown, before everything registered earlier. If the
   * shutdown has begun already it is closed at once.
   *
   * @return {@code closeable}, for chaining
   */
  public <C extends AutoCloseable> C register(String name, C closeable) {
    Objects.requireNonNull(closeable, "closeable");
    synchronized (this) {
      if (!shuttingDown) {
        closeables.add(new Registered(name, closeable));
        return closeable;
      }
    }
    closeQuietly(new Registered(name, closeable));
    return closeable;
  }

  /** Makes SIGTERM and SIGINT (and {@code System.exit}) run {@link #shutdown}. */
  public ProcessLifecycle installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown("termination signal or exit"),
        processName + "-shutdown-hook"));
    return this;
  }

  /**
   * Closes everything registered, newest first, within the time limit; blocks until done or the limit
   * passes. Later calls wait for the first one's outcome.
   *
   * @return true if every component closed within the limit
   */
  public boolean shutdown(String reason) {
    List<Registered> toClose;
    synchronized (this) {
      if (shuttingDown) {
        toClose = null;
      } else {
        shuttingDown = true;
        toClose = new ArrayList<>(closeables);
        closeables.clear();
      }
    }
    if (toClose == null) {
      return awaitFinished();
    }
    log.atInfo().addKeyValue("process", processName).addKeyValue("reason", reason)
        .addKeyValue("components", toClose.size()).addKeyValue("timeLimit", timeLimit).log("shutting down");
    long start = System.nanoTime();
    Thread closer = new Thread(() -> {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        closeQuietly(toClose.get(i));
      }
      closing.set(null);
      finished.countDown();
    }, processName + "-closer");
    closer.setDaemon(true);
    closer.start();
    boolean complete = awaitFinished();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (complete) {
      log.atInfo().addKeyValue("process", processName).addKeyValue("durationMs", millis).log("shutdown complete");
    } else {
      log.atError().addKeyValue("process", processName).addKeyValue("durationMs", millis)
          .addKeyValue("stuckIn", closing.get()).log("shutdown did not finish within the time limit");
      finished.countDown();
    }
    return complete;
  }

  private boolean awaitFinished() {
    try {
      return finished.await(timeLimit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void closeQuietly(Registered r) {
    closing.set(r.name);
    long start = System.nanoTime();
    try {
      r.closeable.close();
      log.atDebug().addKeyValue("component", r.name)
          .addKeyValue("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).log("closed");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.atWarn().addKeyValue("component", r.name).setCause(e).log("close failed");
    }
  }

  /** Blocks until a shutdown has run (completely or up to its time limit). */
  public void awaitShutdown() throws InterruptedException {
    finished.await();
  }

  public synchronized boolean isShuttingDown() {
    return shuttingDown;
  }

  private record Registered(String name, AutoCloseable closeable) {}
}
