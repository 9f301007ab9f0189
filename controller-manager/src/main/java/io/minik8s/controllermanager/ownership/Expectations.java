package io.minik8s.controllermanager.ownership;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' controller expectations: after a controller creates or deletes children for a key, it
 * records how many creations and which deletions it expects its informer to show; until the informer
 * has shown them all (or {@link #TIMEOUT} has passed since they were recorded), {@link #satisfied}
 * is false and the controller must not act on its cache, which is known to lag its own writes. This is
 * what keeps a ReplicaSet from creating more pods than the difference when its cache lags.
 *
 * <p>Deletions are tracked by child key, not counted, so a pod seen first with a deletionTimestamp and
 * then deleted is counted once. Thread-safe: informer threads observe while workers expect.
 */
public final class Expectations {
  /** After this, a controller acts again even if some expected events never came (Kubernetes: 5 min). */
  public static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  private static final class Pending {
    int creations;
    final Set<String> deletions = new HashSet<>();
    Instant since;
  }

  /** True when nothing is outstanding for {@code key}, or what is outstanding has timed out. */
  public boolean satisfied(String key) {
    Pending p = pending.get(key);
    if (p == null) {
      return true;
    }
    synchronized (p) {
      return (p.creations <= 0 && p.deletions.isEmpty()) || !p.since.plus(TIMEOUT).isAfter(clock.instant());
    }
  }

  /** Replaces what is expected for {@code key} by {@code count} creations (call before creating). */
  public void expectCreations(String key, int count) {
    Pending p = new Pending();
    p.creations = count;
    p.since = clock.instant();
    pending.put(key, p);
  }

  /** Replaces what is expected for {@code key} by the deletion of {@code childKeys} (call before deleting). */
  public void expectDeletions(String key, Set<String> childKeys) {
    Pending p = new Pending();
    p.deletions.addAll(childKeys);
    p.since = clock.instant();
    pending.put(key, p);
  }

  /** The informer showed one new child of {@code key} (or a creation failed and will never show). */
  public void creationObserved(String key) {
    Pending p = pending.get(key);
    if (p != null) {
      synchronized (p) {
        p.creations--;
      }
    }
  }

  /** The informer showed {@code childKey} deleted or being deleted (or its deletion failed). */
  public void deletionObserved(String key, String childKey) {
    Pending p = pending.get(key);
    if (p != null) {
      synchronized (p) {
        p.deletions.remove(childKey);
      }
    }
  }

  /** Forgets {@code key} (its object is gone). */
  public void forget(String key) {
    pending.remove(key);
  }
}
