package io.minik8s.kubelet.pleg;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.kubelet.Ticker;
import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod lifecycle event generator: every {@code period} it lists all sandboxes and containers in the
 * runtime, compares with the previous list, and hands the uid of every pod whose containers changed
 * (started, exited, appeared, vanished) to {@code onChange} (the pod work queue). The first relist
 * reports every pod in the runtime, which is how a restarted kubelet adopts its running pods and finds
 * pods deleted while it was down.
 *
 * <p>Relists run on a scheduler shared with other tasks and never overlap. A failed relist is logged and retried next period with the
 * previous snapshot kept, so no change is lost. {@link #healthy()} is false when no relist has succeeded
 * for {@link #UNHEALTHY_AFTER} (Kubernetes' "PLEG is not healthy").
 */
public final class Relister implements AutoCloseable {
  public static final Duration UNHEALTHY_AFTER = Duration.ofMinutes(3);
  private static final Logger log = LoggerFactory.getLogger(Relister.class);

  private final ContainerRuntime runtime;
  private final Consumer<String> onChange;
  private final Duration period;
  private final Clock clock;
  private final Timer relistTimer;
  private final Ticker ticker;
  private volatile RuntimeSnapshot last = RuntimeSnapshot.EMPTY;
  private volatile Instant lastSuccess;
  private boolean failing;

  /**
   * @param timers where relists run (shared; not shut down by {@link #close()})
   * @param meters where the relist timer and the running-pods gauge go (one relister per registry)
   */
  public Relister(ContainerRuntime runtime, Consumer<String> onChange, Duration period, Clock clock,
      MeterRegistry meters, ScheduledExecutorService timers) {
    this.runtime = runtime;
    this.onChange = onChange;
    this.period = period;
    this.clock = clock;
    this.lastSuccess = clock.instant();
    this.relistTimer = Timer.builder("kubelet_pleg_relist_duration").description("time of one relist of the runtime")
        .register(meters);
    Gauge.builder("kubelet_running_pods", this, r -> r.last.runningPods())
        .description("pods with a ready sandbox at the last relist").register(meters);
    this.ticker = new Ticker("pleg-relist", timers, () -> {
      relistQuietly();
      return period;
    });
  }

  /** The first relist runs after {@code initialDelay}, the next ones {@code period} after each. */
  public void start(Duration initialDelay) {
    ticker.start(initialDelay);
  }

  public void start() {
    start(Duration.ZERO);
  }

  /** One relist now (on the caller's thread; tests). Returns the pods reported as changed. */
  public synchronized Set<String> relist() {
    long start = System.nanoTime();
    RuntimeSnapshot now = RuntimeSnapshot.of(runtime.listSandboxes(Map.of()), runtime.listContainers(ContainerFilter.all()));
    relistTimer.record(Duration.ofNanos(System.nanoTime() - start));
    Set<String> changed = now.changedSince(last);
    last = now;
    lastSuccess = clock.instant();
    changed.forEach(onChange);
    return changed;
  }

  private void relistQuietly() {
    try {
      relist();
      if (failing) {
        log.info("relist works again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        log.atWarn().addKeyValue("error", e.getMessage()).log("relist failed; retrying every period");
        failing = true;
      }
    }
  }

  public boolean healthy() {
    return Duration.between(lastSuccess, clock.instant()).compareTo(UNHEALTHY_AFTER) < 0;
  }

  public RuntimeSnapshot lastSnapshot() {
    return last;
  }

  /** Stops relisting (a relist in progress finishes). */
  @Override
  public void close() {
    ticker.close();
  }
}
