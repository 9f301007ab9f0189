package io.minik8s.client.leader;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.workqueue.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for a Lease and keeps it while this process leads, with client-go's semantics.
 *
 * <p>What it does:
 * <ul>
 *   <li>A candidate tries every {@code retryPeriod} (plus up to 120% jitter) to take the lease. It takes
 *       it when it does not exist, has no holder, or has expired: no change of the lease record was seen
 *       for {@code leaseDurationSeconds} (the record's, else ours), measured on <em>our</em> monotonic
 *       clock from when <em>we</em> saw the record change. Remote clocks and the times written in the
 *       lease are never trusted for this.</li>
 *   <li>Every write is a compare-and-swap on the lease's resourceVersion: of two candidates racing for a
 *       free lease, one wins and the other sees a conflict.</li>
 *   <li>The leader renews every {@code retryPeriod}. If no renewal has succeeded for
 *       {@code renewDeadline} (an API call that hangs counts as failing), or it sees another holder, it
 *       stops leading ({@code onStoppedLeading}) and becomes a candidate again.</li>
 *   <li>{@link #stop()} while leading clears the holder (when {@code releaseOnStop}), so a successor takes
 *       over on its next try instead of after {@code leaseDuration}.</li>
 * </ul>
 *
 * <p>What it does <b>not</b> guarantee: there is no fencing token, so nothing stops a deposed leader's
 * writes that are already in flight. Two processes may both believe they lead for a short time: the
 * old leader stops within {@code renewDeadline} of its last renewal by its clock, the new one starts
 * after {@code leaseDuration} without a change by its clock; if the two clocks run at different rates,
 * or a process is paused (GC, SIGSTOP) between checking and acting, the windows can overlap. Controllers
 * must stay correct when that happens (level-based, compare-and-swap updates).
 *
 * <p>Thread-safety: all state changes happen under one lock, on the scheduler's thread or in
 * {@link #stop()}; callbacks are called under that lock (see {@link LeaderCallbacks}).
 */
public final class LeaderElector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final LeaderElectionConfig config;
  private final LeaseClient client;
  private final TaskScheduler scheduler;
  private final TaskScheduler.SystemTaskScheduler ownedScheduler;
  private final ExecutorService calls;
  private final Random random = new Random();
  private final Object lock = new Object();

  // Guarded by lock.
  private boolean started;
  private boolean stopped;
  private boolean leading;
  private Lease observedLease;
  private LeaseSpec observedSpec;
  private long observedAtNanos;
  private long lastRenewNanos;
  private String reportedLeader = "";
  private TaskScheduler.Cancellable nextTick;

  public LeaderElector(LeaderElectionConfig config, LeaseClient client) {
    this.config = config;
    this.client = client;
    if (config.scheduler != null) {
      this.scheduler = config.scheduler;
      this.ownedScheduler = null;
    } else {
      this.ownedScheduler = TaskScheduler.singleThread("leader-elector-" + config.name);
      this.scheduler = ownedScheduler;
    }
    // Calls run on their own threads so one that hangs can be abandoned when its deadline passes.
    this.calls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "leader-elector-call-" + config.name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts competing for the lease; the first attempt is made at once. Once only. */
  public void start() {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("leader elector already started");
      }
      started = true;
      log.atInfo().addKeyValue("lease", config.namespace + "/" + config.name)
          .addKeyValue("identity", config.identity).log("leader election started");
      nextTick = scheduler.schedule(this::tick, Duration.ZERO);
    }
  }

  /** Whether this process holds the lease now (as far as it knows, see the class comment). */
  public boolean isLeader() {
    synchronized (lock) {
      return leading;
    }
  }

  /** The holder last seen in the lease, if any. */
  public Optional<String> observedLeader() {
    synchronized (lock) {
      return reportedLeader.isEmpty() ? Optional.empty() : Optional.of(reportedLeader);
    }
  }

  private void tick() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      Attempt attempt = tryAcquireOrRenew();
      if (stopped) {
        return; // a callback stopped us
      }
      long now = scheduler.nanoTime();
      Duration next;
      if (!leading) {
        if (attempt == Attempt.SUCCEEDED) {
          leading = true;
          lastRenewNanos = now;
          log.atInfo().addKeyValue("lease", config.namespace + "/" + config.name)
              .addKeyValue("identity", config.identity).log("started leading");
          config.callbacks.onStartedLeading();
          next = config.retryPeriod;
        } else {
          next = jittered(config.retryPeriod);
        }
      } else if (attempt == Attempt.SUCCEEDED) {
        lastRenewNanos = now;
        next = config.retryPeriod;
      } else {
        long sinceRenew = now - lastRenewNanos;
        if (attempt == Attempt.HELD_BY_OTHER || sinceRenew >= config.renewDeadline.toNanos()) {
          loseLeadership(attempt == Attempt.HELD_BY_OTHER ? "another holder took the lease"
              : "could not renew within renewDeadline");
          next = jittered(config.retryPeriod);
        } else {
          next = Duration.ofNanos(Math.min(config.retryPeriod.toNanos(),
              config.renewDeadline.toNanos() - sinceRenew));
        }
      }
      if (!stopped) {
        nextTick = scheduler.schedule(this::tick, next);
      }
    }
  }

  private void loseLeadership(String why) {
    leading = false;
    log.atWarn().addKeyValue("lease", config.namespace + "/" + config.name)
        .addKeyValue("identity", config.identity).log("stopped leading: " + why);
    config.callbacks.onStoppedLeading();
  }

  private enum Attempt { SUCCEEDED, HELD_BY_OTHER, FAILED }

  /** One round: read the lease, and take or renew it if we may. Never throws. */
  private Attempt tryAcquireOrRenew() {
    Instant wallNow = config.clock.instant();
    Optional<Lease> current;
    try {
      current = call(() -> client.get(config.namespace, config.name));
    } catch (Exception e) {
      log.atDebug().addKeyValue("lease", config.name).setCause(e).log("cannot read lease");
      return Attempt.FAILED;
    }
    if (current.isEmpty()) {
      Lease fresh = Lease.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(config.namespace).setName(config.name))
          .setSpec(LeaseSpec.newBuilder().setHolderIdentity(config.identity)
              .setLeaseDurationSeconds(leaseSeconds()).setAcquireTime(timestamp(wallNow))
              .setRenewTime(timestamp(wallNow)).setLeaseTransitions(0))
          .build();
      try {
        observe(call(() -> client.create(fresh)));
        return Attempt.SUCCEEDED;
      } catch (Exception e) {
        log.atDebug().addKeyValue("lease", config.name).setCause(e).log("cannot create lease");
        return Attempt.FAILED;
      }
    }
    Lease lease = current.get();
    observe(lease);
    LeaseSpec spec = lease.getSpec();
    String holder = spec.getHolderIdentity();
    boolean ours = holder.equals(config.identity);
    if (!holder.isEmpty() && !ours) {
      long duration = TimeUnit.SECONDS.toNanos(spec.hasLeaseDurationSeconds()
          ? spec.getLeaseDurationSeconds() : leaseSeconds());
      if (leading || scheduler.nanoTime() - observedAtNanos < duration) {
        return Attempt.HELD_BY_OTHER;
      }
    }
    LeaseSpec.Builder next = spec.toBuilder().setHolderIdentity(config.identity)
        .setLeaseDurationSeconds(leaseSeconds()).setRenewTime(timestamp(wallNow));
    if (!ours) {
      next.setAcquireTime(timestamp(wallNow)).setLeaseTransitions(spec.getLeaseTransitions() + 1);
    }
    Lease updated = lease.toBuilder().setSpec(next).build();
    try {
      observe(call(() -> client.update(updated)));
      return Attempt.SUCCEEDED;
    } catch (Exception e) {
      log.atDebug().addKeyValue("lease", config.name).setCause(e).log("cannot update lease");
      return Attempt.FAILED;
    }
  }

  /** Records what we saw; the expiry clock restarts only when the record itself changed. */
  private void observe(Lease lease) {
    observedLease = lease;
    if (!lease.getSpec().equals(observedSpec)) {
      observedSpec = lease.getSpec();
      observedAtNanos = scheduler.nanoTime();
    }
    String holder = lease.getSpec().getHolderIdentity();
    if (!holder.isEmpty() && !holder.equals(reportedLeader)) {
      reportedLeader = holder;
      log.atInfo().addKeyValue("lease", config.namespace + "/" + config.name).addKeyValue("leader", holder)
          .log("new leader observed");
      config.callbacks.onNewLeader(holder);
    }
  }

  /**
   * Runs one API call with a deadline: the leader's remaining renew time, or renewDeadline for a
   * candidate. A call past its deadline is interrupted and counts as failed.
   */
  private <V> V call(Callable<V> callable) throws Exception {
    long budget = config.renewDeadline.toNanos();
    if (leading) {
      budget = Math.max(1, budget - (scheduler.nanoTime() - lastRenewNanos));
    }
    return call(callable, budget);
  }

  private <V> V call(Callable<V> callable, long budget) throws Exception {
    Future<V> f = calls.submit(callable);
    try {
      return f.get(budget, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  /**
   * Stops competing. If leading: releases the lease (when configured) and calls
   * {@code onStoppedLeading}. Blocks until done; idempotent.
   */
  public void stop() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (nextTick != null) {
        nextTick.cancel();
      }
      if (leading) {
        if (config.releaseOnStop) {
          release();
        }
        loseLeadership("stopped");
      }
    }
    calls.shutdownNow();
    if (ownedScheduler != null) {
      ownedScheduler.close();
    }
  }

  /** Clears the holder with a compare-and-swap on the lease we last wrote; a conflict means it is gone anyway. */
  private void release() {
    if (observedLease == null || !observedLease.getSpec().getHolderIdentity().equals(config.identity)) {
      return;
    }
    Timestamp now = timestamp(config.clock.instant());
    Lease released = observedLease.toBuilder().setSpec(observedLease.getSpec().toBuilder()
        .setHolderIdentity("").setLeaseDurationSeconds(1).setAcquireTime(now).setRenewTime(now)).build();
    try {
      observedLease = call(() -> client.update(released), config.renewDeadline.toNanos());
      log.atInfo().addKeyValue("lease", config.namespace + "/" + config.name).log("lease released");
    } catch (Exception e) {
      log.atWarn().addKeyValue("lease", config.namespace + "/" + config.name).setCause(e)
          .log("could not release lease; a successor takes over after leaseDuration");
    }
  }

  @Override
  public void close() {
    stop();
  }

  private int leaseSeconds() {
    return (int) Math.max(1, (config.leaseDuration.toMillis() + 999) / 1000);
  }

  private Duration jittered(Duration d) {
    return d.plusNanos((long) (d.toNanos() * LeaderElectionConfig.JITTER_FACTOR * random.nextDouble()));
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
