package io.minik8s.scheduler;

import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.informer.Lister;
import io.minik8s.scheduler.algorithm.ScheduleResult;
import io.minik8s.scheduler.algorithm.SchedulingAlgorithm;
import io.minik8s.scheduler.binder.Binder;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.queue.QueuedPod;
import io.minik8s.scheduler.queue.SchedulingQueue;
import io.minik8s.scheduler.report.SchedulingReporter;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling loop: one pod at a time, on one thread ({@code scheduling-loop}).
 *
 * <p>One cycle ({@link #scheduleOne}): take the pod's latest version from the pod informer (a pod
 * deleted, bound or being deleted meanwhile is dropped), take a snapshot of the cache, run the
 * algorithm. No node: report it and requeue the pod with back-off. A node: <em>assume</em> the pod
 * there (the next cycle counts it at once) and hand the bind call to the binder executor, so the loop
 * goes on with the next pod while the API call is in flight.
 *
 * <p>Bind outcome (on a binder thread): success ends the pod's time in the queue; Conflict or
 * NotFound (already bound, being deleted, gone) drops it: the informer has, or will have, the truth;
 * any other error forgets the assumption and requeues the pod with back-off.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final String schedulerName;
  private final SchedulingQueue queue;
  private final SchedulerCache cache;
  private final SchedulingAlgorithm algorithm;
  private final Lister<Pod> pods;
  private final Binder binder;
  private final Executor bindExecutor;
  private final SchedulingReporter reporter;
  private final SchedulerMetrics metrics;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private Thread thread;
  private volatile boolean stopping;

  public Scheduler(String schedulerName, SchedulingQueue queue, SchedulerCache cache, SchedulingAlgorithm algorithm,
      Lister<Pod> pods, Binder binder, Executor bindExecutor, SchedulingReporter reporter, SchedulerMetrics metrics,
      LongSupplier nanoTime, Clock clock) {
    this.schedulerName = Objects.requireNonNull(schedulerName, "schedulerName");
    this.queue = queue;
    this.cache = cache;
    this.algorithm = algorithm;
    this.pods = pods;
    this.binder = binder;
    this.bindExecutor = bindExecutor;
    this.reporter = reporter;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.clock = clock;
  }

  /** Starts the loop thread; later calls do nothing. */
  public synchronized void start() {
    if (thread != null || stopping) {
      return;
    }
    thread = new Thread(this::run, "scheduling-loop");
    thread.setDaemon(true);
    thread.start();
    log.info("scheduling started");
  }

  public synchronized boolean isRunning() {
    return thread != null && thread.isAlive();
  }

  private void run() {
    while (!stopping) {
      Optional<QueuedPod> next;
      try {
        next = queue.pop();
      } catch (InterruptedException e) {
        break;
      }
      if (next.isEmpty()) {
        break; // queue closed
      }
      try {
        scheduleOne(next.get());
      } catch (RuntimeException e) {
        log.atError().addKeyValue("pod", next.get().key()).setCause(e).log("scheduling cycle failed");
        metrics.error();
        requeueOrDrop(next.get());
      }
    }
  }

  /** One scheduling cycle for {@code attempt}; the bind, if any, continues on the bind executor. */
  public void scheduleOne(QueuedPod attempt) {
    Optional<Pod> latest = stillPending(attempt);
    if (latest.isEmpty()) {
      queue.done(attempt.uid());
      return;
    }
    Pod pod = latest.get();
    PodInfo info = PodInfo.of(pod);
    long start = nanoTime.getAsLong();
    ScheduleResult result = algorithm.schedule(info, cache.snapshot());
    metrics.algorithmRan(nanoTime.getAsLong() - start);
    if (!result.isScheduled()) {
      metrics.unschedulable();
      // The first failure is news; the retries are counted in the FailedScheduling event instead.
      (attempt.attempts() == 0 ? log.atInfo() : log.atDebug()).addKeyValue("pod", info.key())
          .addKeyValue("attempts", attempt.attempts() + 1).addKeyValue("reason", result.fitError().message())
          .log("unable to schedule pod");
      reporter.unschedulable(pod, result.fitError());
      queue.requeue(attempt, pod);
      return;
    }
    String node = result.nodeName();
    if (!cache.assume(info, node)) {
      queue.done(attempt.uid()); // the informer shows it placed already
      return;
    }
    Instant decidedAt = clock.instant();
    bindExecutor.execute(() -> bind(attempt, pod, node, decidedAt));
  }

  private void bind(QueuedPod attempt, Pod pod, String node, Instant decidedAt) {
    String key = attempt.key();
    try {
      binder.bind(pod, node);
    } catch (ApiException e) {
      cache.forget(attempt.uid());
      metrics.error();
      if (e.isConflict() || e.isNotFound()) {
        log.atInfo().addKeyValue("pod", key).addKeyValue("node", node).addKeyValue("error", e.getMessage())
            .log("binding rejected, dropping pod from the queue");
        queue.done(attempt.uid());
      } else {
        log.atWarn().addKeyValue("pod", key).addKeyValue("node", node).addKeyValue("error", e.getMessage())
            .log("binding failed, will retry");
        requeueOrDrop(attempt);
      }
      return;
    } catch (RuntimeException e) {
      cache.forget(attempt.uid());
      metrics.error();
      log.atWarn().addKeyValue("pod", key).addKeyValue("node", node).setCause(e).log("binding failed, will retry");
      requeueOrDrop(attempt);
      return;
    }
    cache.finishBinding(attempt.uid());
    queue.done(attempt.uid());
    metrics.scheduled(nanoTime.getAsLong() - attempt.firstSeenNanos());
    log.atInfo().addKeyValue("pod", key).addKeyValue("node", node).addKeyValue("attempts", attempt.attempts() + 1)
        .log("bound pod to node");
    reporter.scheduled(pod, node, decidedAt);
  }

  private void requeueOrDrop(QueuedPod attempt) {
    Optional<Pod> latest = stillPending(attempt);
    if (latest.isPresent()) {
      queue.requeue(attempt, latest.get());
    } else {
      queue.done(attempt.uid());
    }
  }

  /** The informer's version of the pod if it is the same pod and still this scheduler's to place. */
  private Optional<Pod> stillPending(QueuedPod attempt) {
    Pod queued = attempt.pod();
    return pods.get(queued.getMetadata().getNamespace(), queued.getMetadata().getName())
        .filter(p -> p.getMetadata().getUid().equals(queued.getMetadata().getUid()))
        .filter(p -> PodEventHandler.needsScheduling(p, schedulerName));
  }

  /** Stops the loop after the current cycle; binds already handed out finish on their executor. */
  @Override
  public void close() throws InterruptedException {
    Thread t;
    synchronized (this) {
      stopping = true;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      t.join(5_000);
    }
  }
}
