package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** Per-key exponential back-off: {@code base, 2*base, 4*base, ...} up to {@code max}. Thread-safe. */
public final class ExponentialBackoffRateLimiter<K> implements RateLimiter<K> {
  private final long baseNanos;
  private final long maxNanos;
  private final ConcurrentHashMap<K, Integer> failures = new ConcurrentHashMap<>();

  public ExponentialBackoffRateLimiter(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got base " + base + ", max " + max);
    }
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
  }

  @Override
  public Duration when(K key) {
    int exponent = failures.merge(key, 1, Integer::sum) - 1;
    // Stop doubling once past max, which also keeps the shift from overflowing.
    long delay = baseNanos;
    for (int i = 0; i < exponent && delay < maxNanos; i++) {
      delay *= 2;
    }
    return Duration.ofNanos(Math.min(delay, maxNanos));
  }

  @Override
  public void forget(K key) {
    failures.remove(key);
  }

  @Override
  public int retries(K key) {
    return failures.getOrDefault(key, 0);
  }
}
