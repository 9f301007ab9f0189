package io.minik8s.client.workqueue;

import java.time.Duration;

/**
 * One token bucket shared by every key: bounds the overall retry rate however many keys fail.
 * A caller that finds it empty is not blocked; it is told how long until its token is due (and that
 * token is reserved for it). Thread-safe.
 */
public final class TokenBucketRateLimiter<K> implements RateLimiter<K> {
  private final double tokensPerNano;
  private final double burst;
  private final TaskScheduler time;
  private double tokens;
  private long last;

  public TokenBucketRateLimiter(double qps, int burst, TaskScheduler time) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("need qps > 0 and burst >= 1, got " + qps + ", " + burst);
    }
    this.tokensPerNano = qps / 1e9;
    this.burst = burst;
    this.time = time;
    this.tokens = burst;
    this.last = time.nanoTime();
  }

  @Override
  public synchronized Duration when(K key) {
    long now = time.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
    last = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
  }

  @Override
  public void forget(K key) {}

  @Override
  public int retries(K key) {
    return 0;
  }
}
