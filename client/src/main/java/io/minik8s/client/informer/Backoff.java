package io.minik8s.client.informer;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential back-off with jitter: each {@link #next()} doubles the base (from {@code min} up to
 * {@code max}) and adds up to 20% at random so that many clients cut off together do not come back in
 * step. Not thread-safe: one owner.
 */
final class Backoff {
  private static final double JITTER = 0.2;

  private final long minNanos;
  private final long maxNanos;
  private final Random random;
  private long current;

  Backoff(Duration min, Duration max, Random random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  Duration next() {
    current = current == 0 ? minNanos : Math.min(maxNanos, current * 2);
    long jitter = (long) (current * JITTER * random.nextDouble());
    return Duration.ofNanos(Math.min(maxNanos, current + jitter));
  }

  void reset() {
    current = 0;
  }
}
