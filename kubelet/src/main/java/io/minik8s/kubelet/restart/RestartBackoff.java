package io.minik8s.kubelet.restart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes' crash-loop back-off: per key (a pod's container, or an image pull), the wait before the
 * next attempt starts at {@code base} and doubles with each attempt up to {@code max}. A key left
 * alone for {@code 2 * max} starts again from {@code base}.
 *
 * <p>How it is used: after a failure that finished at {@code finishedAt}, {@link #remaining} says how
 * long to wait still (empty: go now); when the worker goes, it calls {@link #next} to record the
 * attempt and lengthen the next wait. So a first crash is restarted at once, the second after
 * {@code base}, the third after {@code 2 * base}, and so on.
 *
 * <p>Thread-safe (synchronized). State lives in memory only: a restarted kubelet starts afresh.
 */
public final class RestartBackoff {
  private final Duration base;
  private final Duration max;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  public RestartBackoff(Duration base, Duration max, Clock clock) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
    }
    this.base = base;
    this.max = max;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Kubernetes' values: 10 s doubling to 5 min. */
  public static RestartBackoff kubernetesDefault(Clock clock) {
    return new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
  }

  public Duration base() {
    return base;
  }

  public Duration max() {
    return max;
  }

  /**
   * How long the key must still wait after a failure at {@code finishedAt}; empty when it may go now
   * (no attempt on record, or the current back-off has passed since {@code finishedAt}).
   */
  public synchronized Optional<Duration> remaining(String key, Instant finishedAt) {
    Instant now = clock.instant();
    Entry e = current(key, now);
    if (e == null || finishedAt == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, finishedAt.plus(e.backoff));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /**
   * How long the key must still wait counted from its last recorded attempt ({@link #next}); empty when
   * it may go now. For failures whose own end time is not known (an image pull).
   */
  public synchronized Optional<Duration> remainingSinceLastAttempt(String key) {
    Instant now = clock.instant();
    Entry e = current(key, now);
    if (e == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, e.lastUpdate.plus(e.backoff));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** The back-off the key is in now (what the next {@link #remaining} counts from), if any. */
  public synchronized Optional<Duration> current(String key) {
    Entry e = current(key, clock.instant());
    return e == null ? Optional.empty() : Optional.of(e.backoff);
  }

  /** Records an attempt: the first gets {@code base}, each later one twice the last, at most {@code max}. */
  public synchronized Duration next(String key) {
    Instant now = clock.instant();
    Entry e = current(key, now);
    Duration backoff = e == null ? base : min(e.backoff.multipliedBy(2), max);
    entries.put(key, new Entry(backoff, now));
    return backoff;
  }

  /** Forgets the key (its pod is gone). */
  public synchronized void reset(String key) {
    entries.remove(key);
  }

  /** Forgets every key starting with {@code prefix} (all containers of a pod). */
  public synchronized void resetAll(String prefix) {
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Drops entries not touched for {@code 2 * max}: they would start from {@code base} anyway. */
  public synchronized void gc() {
    Instant now = clock.instant();
    entries.values().removeIf(e -> expired(e, now));
  }

  private Entry current(String key, Instant now) {
    Entry e = entries.get(key);
    if (e != null && expired(e, now)) {
      entries.remove(key);
      return null;
    }
    return e;
  }

  private boolean expired(Entry e, Instant now) {
    return Duration.between(e.lastUpdate, now).compareTo(max.multipliedBy(2)) > 0;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private record Entry(Duration backoff, Instant lastUpdate) {}
}
