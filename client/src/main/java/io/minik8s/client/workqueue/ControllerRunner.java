package io.minik8s.client.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} on N worker threads fed by a {@link WorkQueue}: the controller loop.
 *
 * <p>Per key taken: the reconciler's {@link Result} decides what follows: {@code done} forgets the
 * key's back-off; {@code requeueAfter(d)} forgets it and adds the key after {@code d};
 * {@code requeue} re-adds with back-off. An exception is logged and re-adds with back-off. The key is
 * always marked done, so the queue's one-worker-per-key guarantee holds whatever the reconciler does.
 *
 * <p>Metrics (tag {@code controller}): {@code controller.reconcile} timer (tag {@code result}:
 * success, requeue, error) and {@code controller.reconcile.errors} counter; the queue adds its own
 * depth, adds and retries.
 */
public final class ControllerRunner<K> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerRunner.class);

  private final String name;
  private final WorkQueue<K> queue;
  private final Reconciler<K> reconciler;
  private final int workers;
  private final Timer success;
  private final Timer requeued;
  private final Timer failed;
  private final Counter errors;
  private final List<Thread> threads = new ArrayList<>();
  private boolean started;

  public ControllerRunner(String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers,
      MeterRegistry registry) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.workers = workers;
    this.success = timer(registry, "success");
    this.requeued = timer(registry, "requeue");
    this.failed = timer(registry, "error");
    this.errors = Counter.builder("controller.reconcile.errors").tag("controller", name)
        .description("reconciles that threw").register(registry);
  }

  private Timer timer(MeterRegistry registry, String result) {
    return Timer.builder("controller.reconcile").tag("controller", name).tag("result", result)
        .description("time spent in one reconcile").register(registry);
  }

  public String name() {
    return name;
  }

  public WorkQueue<K> queue() {
    return queue;
  }

  /** Starts the worker threads ({@code <name>-worker-<i>}). Once only. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("controller " + name + " already started");
    }
    started = true;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, name + "-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    log.atInfo().addKeyValue("controller", name).addKeyValue("workers", workers).log("controller started");
  }

  private void work() {
    while (true) {
      K key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        return;
      }
      try {
        processOne(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private void processOne(K key) {
    long start = System.nanoTime();
    Result result;
    try {
      result = reconciler.reconcile(key);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Throwable, not Exception: a bug (AssertionError, LinkageError) in one key must not kill a worker.
      failed.record(Duration.ofNanos(System.nanoTime() - start));
      errors.increment();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.atWarn().addKeyValue("controller", name).addKeyValue("key", key)
          .addKeyValue("retries", queue.retries(key)).setCause(e).log("reconcile failed, will retry");
      queue.addRateLimited(key);
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (result == null) {
      result = Result.done();
    }
    if (result.requeueAfter().isPresent()) {
      success.record(elapsed);
      queue.forget(key);
      queue.addAfter(key, result.requeueAfter().get());
    } else if (result.isRequeue()) {
      requeued.record(elapsed);
      queue.addRateLimited(key);
    } else {
      success.record(elapsed);
      queue.forget(key);
    }
  }

  /**
   * Shuts the queue down and waits up to {@code timeout} for reconciles in flight to finish.
   *
   * @return true if every worker ended in time
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    queue.shutDown();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> toJoin;
    synchronized (this) {
      toJoin = List.copyOf(threads);
    }
    for (Thread t : toJoin) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, left / 1_000_000));
      }
    }
    boolean allDone = toJoin.stream().noneMatch(Thread::isAlive);
    log.atInfo().addKeyValue("controller", name).addKeyValue("clean", allDone).log("controller stopped");
    return allDone;
  }

  /** {@link #stop} with a 30 s limit. */
  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(30));
  }
}
