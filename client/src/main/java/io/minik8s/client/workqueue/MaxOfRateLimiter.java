package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.List;

/** Asks every limiter and waits for the slowest. Thread-safe if the limiters are. */
public final class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private final List<RateLimiter<K>> limiters;

  public MaxOfRateLimiter(List<RateLimiter<K>> limiters) {
    if (limiters.isEmpty()) {
      throw new IllegalArgumentException("no rate limiters");
    }
    this.limiters = List.copyOf(limiters);
  }

  @Override
  public Duration when(K key) {
    Duration max = Duration.ZERO;
    for (RateLimiter<K> l : limiters) {
      Duration d = l.when(key);
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max;
  }

  @Override
  public void forget(K key) {
    limiters.forEach(l -> l.forget(key));
  }

  @Override
  public int retries(K key) {
    return limiters.stream().mapToInt(l -> l.retries(key)).max().orElse(0);
  }
}
