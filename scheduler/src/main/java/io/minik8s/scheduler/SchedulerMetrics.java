package io.minik8s.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's Prometheus metrics, named as kube-scheduler's:
 * <ul>
 *   <li>{@code scheduler_schedule_attempts_total{result="scheduled|unschedulable|error"}};</li>
 *   <li>{@code scheduler_e2e_scheduling_duration_seconds}: histogram of the time from when the queue
 *       first saw a pod to its successful binding;</li>
 *   <li>{@code scheduler_scheduling_algorithm_duration_seconds}: histogram of one filter-and-score run;</li>
 *   <li>{@code scheduler_pending_pods{queue="active|backoff"}}: gauges of the queue.</li>
 * </ul>
 * Thread-safe (Micrometer meters are).
 */
public final class SchedulerMetrics {
  /** kube-scheduler's buckets: 1 ms doubling, 15 of them (up to ~16 s). */
  private static final Duration[] BUCKETS = buckets();

  private final Counter scheduled;
  private final Counter unschedulable;
  private final Counter error;
  private final Timer e2eDuration;
  private final Timer algorithmDuration;

  public SchedulerMetrics(MeterRegistry registry, SchedulingQueue queue) {
    scheduled = attempts(registry, "scheduled");
    unschedulable = attempts(registry, "unschedulable");
    error = attempts(registry, "error");
    e2eDuration = Timer.builder("scheduler.e2e.scheduling.duration")
        .description("Time from when the scheduler first saw a pod to its binding")
        .serviceLevelObjectives(BUCKETS).register(registry);
    algorithmDuration = Timer.builder("scheduler.scheduling.algorithm.duration")
        .description("Time of one filter-and-score run")
        .serviceLevelObjectives(BUCKETS).register(registry);
    Gauge.builder("scheduler.pending.pods", queue, SchedulingQueue::activeCount).tag("queue", "active")
        .description("Pods waiting for a scheduling attempt").register(registry);
    Gauge.builder("scheduler.pending.pods", queue, SchedulingQueue::backoffCount).tag("queue", "backoff")
        .description("Pods backing off after a failed attempt").register(registry);
  }

  private static Counter attempts(MeterRegistry registry, String result) {
    return Counter.builder("scheduler.schedule.attempts").tag("result", result)
        .description("Scheduling attempts by result").register(registry);
  }

  private static Duration[] buckets() {
    Duration[] d = new Duration[15];
    for (int i = 0; i < d.length; i++) {
      d[i] = Duration.ofMillis(1L << i);
    }
    return d;
  }

  public void scheduled(long e2eNanos) {
    scheduled.increment();
    e2eDuration.record(e2eNanos, TimeUnit.NANOSECONDS);
  }

  public void unschedulable() {
    unschedulable.increment();
  }

  public void error() {
    error.increment();
  }

  public void algorithmRan(long nanos) {
    algorithmDuration.record(nanos, TimeUnit.NANOSECONDS);
  }
}
