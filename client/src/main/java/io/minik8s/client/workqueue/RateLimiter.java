package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.List;

/**
 * Decides how long a failed key waits before its next try. Implementations are thread-safe.
 *
 * @param <K> the key type
 */
public interface RateLimiter<K> {
  /** Records one more failure of {@code key} and returns how long it should wait now. */
  Duration when(K key);

  /** Clears the failure history of {@code key} (it succeeded). */
  void forget(K key);

  /** How many failures of {@code key} are on record. */
  int retries(K key);

  /**
   * client-go's default for controllers: per-key exponential back-off starting at 5 ms and doubling
   * up to 1000 s.
   */
  static <K> RateLimiter<K> defaultControllerRateLimiter() {
    return exponential(Duration.ofMillis(5), Duration.ofSeconds(1000));
  }

  /** Per key: {@code base * 2^failures}, capped at {@code max}. */
  static <K> RateLimiter<K> exponential(Duration base, Duration max) {
    return new ExponentialBackoffRateLimiter<>(base, max);
  }

  /**
   * An overall budget shared by all keys: {@code qps} tokens a second, at most {@code burst} saved up;
   * a key that finds the bucket empty waits until its token would have arrived.
   */
  static <K> RateLimiter<K> tokenBucket(double qps, int burst, TaskScheduler time) {
    return new TokenBucketRateLimiter<>(qps, burst, time);
  }

  /** The longest delay any of {@code limiters} asks for (client-go: per-key back-off and a bucket). */
  @SafeVarargs
  static <K> RateLimiter<K> maxOf(RateLimiter<K>... limiters) {
    return new MaxOfRateLimiter<>(List.of(limiters));
  }
}
