package io.minik8s.client.leader;

import io.minik8s.client.workqueue.TaskScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one {@link LeaderElector}, validated on {@link Builder#build()}.
 *
 * <p>Durations, with Kubernetes' defaults and meaning:
 * <ul>
 *   <li>{@code leaseDuration} (15 s): how long candidates wait, from when they last saw the lease change,
 *       before taking it over;</li>
 *   <li>{@code renewDeadline} (10 s): how long the leader keeps trying to renew before it gives up;</li>
 *   <li>{@code retryPeriod} (2 s): how often candidates try to acquire and the leader renews.</li>
 * </ul>
 * Required: {@code leaseDuration > renewDeadline > 1.2 * retryPeriod}, so the leader gives up before
 * anyone may take over, after more than one attempt.
 */
public final class LeaderElectionConfig {
  static final double JITTER_FACTOR = 1.2;

  final String namespace;
  final String name;
  final String identity;
  final Duration leaseDuration;
  final Duration renewDeadline;
  final Duration retryPeriod;
  final boolean releaseOnStop;
  final LeaderCallbacks callbacks;
  final Clock clock;
  final TaskScheduler scheduler;

  private LeaderElectionConfig(Builder b) {
    this.namespace = b.namespace;
    this.name = b.name;
    this.identity = b.identity;
    this.leaseDuration = b.leaseDuration;
    this.renewDeadline = b.renewDeadline;
    this.retryPeriod = b.retryPeriod;
    this.releaseOnStop = b.releaseOnStop;
    this.callbacks = b.callbacks;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public String identity() {
    return identity;
  }

  public Duration leaseDuration() {
    return leaseDuration;
  }

  public Duration renewDeadline() {
    return renewDeadline;
  }

  public Duration retryPeriod() {
    return retryPeriod;
  }

  public static final class Builder {
    private String namespace = "kube-system";
    private String name;
    private String identity;
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private boolean releaseOnStop = true;
    private LeaderCallbacks callbacks = new LeaderCallbacks() {};
    private Clock clock = Clock.systemUTC();
    private TaskScheduler scheduler;

    private Builder() {}

    /** The lease (namespace defaults to {@code kube-system}, as Kubernetes' components use). */
    public Builder lease(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
      return this;
    }

    /** Unique per process: typically {@code <hostname>_<random>}. */
    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    public Builder leaseDuration(Duration d) {
      this.leaseDuration = d;
      return this;
    }

    public Builder renewDeadline(Duration d) {
      this.renewDeadline = d;
      return this;
    }

    public Builder retryPeriod(Duration d) {
      this.retryPeriod = d;
      return this;
    }

    /** Whether stopping while leading clears the holder so a successor takes over at once (default true). */
    public Builder releaseOnStop(boolean release) {
      this.releaseOnStop = release;
      return this;
    }

    public Builder callbacks(LeaderCallbacks callbacks) {
      this.callbacks = callbacks;
      return this;
    }

    /** The wall clock for the times written into the lease (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Monotonic time and the elector's timer. Default: a scheduler with its own thread, stopped with the
     * elector. Its tasks make API calls, so it must not be shared with tasks that need to run promptly.
     */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** @throws IllegalArgumentException listing every invalid setting */
    public LeaderElectionConfig build() {
      List<String> errors = new ArrayList<>();
      if (name == null || name.isEmpty()) {
        errors.add("lease name is required");
      }
      if (namespace == null || namespace.isEmpty()) {
        errors.add("lease namespace is required");
      }
      if (identity == null || identity.isEmpty()) {
        errors.add("identity is required");
      }
      if (positive(leaseDuration, "leaseDuration", errors) && positive(renewDeadline, "renewDeadline", errors)
          && positive(retryPeriod, "retryPeriod", errors)) {
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
          errors.add("leaseDuration must be at least 1s (a Lease stores whole seconds), got " + leaseDuration);
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
          errors.add("leaseDuration (" + leaseDuration + ") must be greater than renewDeadline ("
              + renewDeadline + ")");
        }
        if (renewDeadline.toNanos() <= JITTER_FACTOR * retryPeriod.toNanos()) {
          errors.add("renewDeadline (" + renewDeadline + ") must be greater than " + JITTER_FACTOR
              + " * retryPeriod (" + retryPeriod + ")");
        }
      }
      Objects.requireNonNull(callbacks, "callbacks");
      Objects.requireNonNull(clock, "clock");
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid leader election config: " + String.join("; ", errors));
      }
      return new LeaderElectionConfig(this);
    }

    private static boolean positive(Duration d, String what, List<String> errors) {
      if (d == null || d.isNegative() || d.isZero()) {
        errors.add(what + " must be positive, got " + d);
        return false;
      }
      return true;
    }
  }
}
