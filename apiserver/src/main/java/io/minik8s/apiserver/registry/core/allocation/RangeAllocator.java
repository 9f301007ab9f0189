package io.minik8s.apiserver.registry.core.allocation;

import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Hands out the values of a numbered range ({@code count} values, {@code valueOf(i)} for each) as
 * {@link Claims}. A free value is first looked for at random, so API servers allocating at the same
 * time rarely try the same one; after a few misses the claims are listed and the range scanned from a
 * random point, so a nearly full range still yields its last free values. Thread-safe.
 */
public final class RangeAllocator {
  private static final int RANDOM_TRIES = 8;

  private final Claims claims;
  private final long count;
  private final LongFunction<String> valueOf;
  private final Random random;

  public RangeAllocator(Claims claims, long count, LongFunction<String> valueOf, Random random) {
    this.claims = claims;
    this.count = count;
    this.valueOf = valueOf;
    this.random = random;
  }

  public Claims claims() {
    return claims;
  }

  /** Claims some free value for {@code owner}; empty when the range is full. */
  public Optional<String> allocateNext(String owner) {
    for (int i = 0; i < RANDOM_TRIES; i++) {
      String candidate = valueOf.apply(nextOffset());
      if (claims.claim(candidate, owner)) {
        return Optional.of(candidate);
      }
    }
    Set<String> taken = claims.all().keySet();
    long start = nextOffset();
    for (long i = 0; i < count; i++) {
      String candidate = valueOf.apply((start + i) % count);
      if (!taken.contains(candidate) && claims.claim(candidate, owner)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private long nextOffset() {
    synchronized (random) {
      return (long) (random.nextDouble() * count);
    }
  }
}
