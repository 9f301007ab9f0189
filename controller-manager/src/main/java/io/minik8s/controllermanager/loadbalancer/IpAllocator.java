package io.minik8s.controllermanager.loadbalancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which holder (a Service's {@code namespace/name}) holds which address of an {@link IpPool}: the
 * load-balancer controller's memory of what it handed out, ahead of what its informer cache shows.
 *
 * <p>Guarantees: an address has at most one holder; {@link #allocate} gives the lowest free address,
 * so the outcome depends only on the sequence of calls. A holder may hold several addresses for a
 * moment (while its Service moves from one to another). Thread-safe: every method is atomic under the
 * allocator's monitor, so concurrent reconciles of different Services never get the same address.
 */
public final class IpAllocator {
  private final IpPool pool;
  private final TreeMap<Long, String> holders = new TreeMap<>();
  private final Map<String, TreeSet<Long>> held = new HashMap<>();

  public IpAllocator(IpPool pool) {
    this.pool = pool;
  }

  public IpPool pool() {
    return pool;
  }

  /**
   * The lowest address {@code holder} holds already, else the lowest free address, now held by it;
   * empty when the pool is exhausted.
   */
  public synchronized Optional<String> allocate(String holder) {
    TreeSet<Long> mine = held.get(holder);
    if (mine != null && !mine.isEmpty()) {
      return Optional.of(IpPool.format(mine.first()));
    }
    OptionalLong free = pool.lowestFree(holders.navigableKeySet());
    if (free.isEmpty()) {
      return Optional.empty();
    }
    take(holder, free.getAsLong());
    return Optional.of(IpPool.format(free.getAsLong()));
  }

  /**
   * Makes {@code holder} hold {@code ip} if it is free (or already its own).
   *
   * @return empty on success; otherwise the other holder of {@code ip}
   * @throws IllegalArgumentException if {@code ip} is not an address of the pool
   */
  public synchronized Optional<String> claim(String holder, String ip) {
    long address = IpPool.parseAddress(ip).orElse(-1);
    if (address < 0 || !pool.contains(address)) {
      throw new IllegalArgumentException(ip + " is not in the pool " + pool);
    }
    String current = holders.get(address);
    if (current != null && !current.equals(holder)) {
      return Optional.of(current);
    }
    take(holder, address);
    return Optional.empty();
  }

  private void take(String holder, long address) {
    holders.put(address, holder);
    held.computeIfAbsent(holder, h -> new TreeSet<>()).add(address);
  }

  /** Frees every address of {@code holder} but {@code keep} (null: all); returns the freed ones, ascending. */
  public synchronized List<String> releaseAllExcept(String holder, String keep) {
    TreeSet<Long> mine = held.get(holder);
    List<String> released = new ArrayList<>();
    if (mine == null) {
      return released;
    }
    for (long address : List.copyOf(mine)) {
      String ip = IpPool.format(address);
      if (!ip.equals(keep)) {
        mine.remove(address);
        holders.remove(address);
        released.add(ip);
      }
    }
    if (mine.isEmpty()) {
      held.remove(holder);
    }
    return released;
  }

  /** Frees every address of {@code holder}; returns them, ascending. */
  public List<String> release(String holder) {
    return releaseAllExcept(holder, null);
  }

  /** Who holds {@code ip}, if anyone. */
  public synchronized Optional<String> holderOf(String ip) {
    long address = IpPool.parseAddress(ip).orElse(-1);
    return address < 0 ? Optional.empty() : Optional.ofNullable(holders.get(address));
  }

  /** How many addresses are held. */
  public synchronized int allocatedCount() {
    return holders.size();
  }
}
