package io.minik8s.scheduler.report;

import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.scheduler.algorithm.FitError;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports through the API server, on one thread of its own so scheduling never waits for it:
 * <ul>
 *   <li>bound: an Event {@code Normal Scheduled "Successfully assigned ns/pod to node"};</li>
 *   <li>unschedulable: the pod's {@code PodScheduled=False, reason Unschedulable} condition with the
 *       fit error's message (written only when it changed, compare-and-swap on the pod's
 *       resourceVersion, retried once on a conflict unless the pod got bound meanwhile), and an Event
 *       {@code Warning FailedScheduling} with the same message.</li>
 * </ul>
 * At most {@value #BACKLOG} reports wait; more are dropped (and counted) rather than let a slow API
 * server grow the heap.
 */
public final class ApiServerReporter implements SchedulingReporter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServerReporter.class);
  static final int BACKLOG = 10_000;

  private final ApiClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private final AtomicLong dropped = new AtomicLong();

  public ApiServerReporter(ApiClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG), r -> {
      Thread t = new Thread(r, "scheduler-reporter");
      t.setDaemon(true);
      return t;
    }, (r, e) -> dropped.incrementAndGet());
  }

  @Override
  public void scheduled(Pod pod, String nodeName, Instant decidedAt) {
    String message = "Successfully assigned " + pod.getMetadata().getNamespace() + "/"
        + pod.getMetadata().getName() + " to " + nodeName;
    // Stamped with the decision, not when this thread gets to it: the kubelet's events may be written first, and
    // kubectl lists events by time.
    executor.execute(() -> events.record(pod, "Normal", "Scheduled", "Binding", message, decidedAt));
  }

  @Override
  public void unschedulable(Pod pod, FitError error) {
    String message = error.message();
    Instant at = clock.instant();
    executor.execute(() -> {
      writeCondition(pod, message);
      events.record(pod, "Warning", "FailedScheduling", "Scheduling", message, at);
    });
  }

  /** Reports dropped because the backlog was full. */
  public long dropped() {
    return dropped.get();
  }

  private void writeCondition(Pod pod, String message) {
    Pod current = pod;
    for (int attempt = 0; attempt < 2; attempt++) {
      Optional<Pod> updated = PodConditions.withUnschedulable(current, message, clock.instant());
      if (updated.isEmpty()) {
        return;
      }
      try {
        client.updateStatus(updated.get());
        return;
      } catch (ApiException e) {
        if (!e.isConflict() || attempt > 0) {
          if (!e.isNotFound()) {
            log.atWarn().addKeyValue("pod", key(pod)).addKeyValue("error", e.getMessage())
                .log("could not write PodScheduled condition");
          }
          return;
        }
      }
      Optional<Pod> fresh;
      try {
        fresh = client.find(Kinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      } catch (ApiException e) {
        return;
      }
      if (fresh.isEmpty() || !fresh.get().getMetadata().getUid().equals(pod.getMetadata().getUid())
          || !fresh.get().getSpec().getNodeName().isEmpty()) {
        return; // gone or bound meanwhile: the verdict is stale
      }
      current = fresh.get();
    }
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** Lets queued reports finish for up to 5 s, then drops the rest. */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
    if (dropped.get() > 0) {
      log.atWarn().addKeyValue("dropped", dropped.get()).log("scheduling reports dropped: backlog was full");
    }
  }
}
