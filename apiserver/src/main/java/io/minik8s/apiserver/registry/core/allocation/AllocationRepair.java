package io.minik8s.apiserver.registry.core.allocation;

import io.minik8s.api.Service;
import io.minik8s.apiserver.registry.Keys;
import io.minik8s.apiserver.storage.Storage;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the claims of {@link ServiceAllocator} agree with the stored Services again after a crash
 * between a claim and a write:
 * <ul>
 *   <li>a claim whose owner Service is gone, has another uid, or no longer holds the value is released,
 *       but only when it was found so in two passes in a row with the same mod revision: a claim made
 *       just before its Service is written is never mistaken for a leftover;
 *   <li>a value a Service holds without a claim (a Service stored before allocation existed) is claimed
 *       for it; a value claimed by another Service is logged.
 * </ul>
 * Safe with several API servers running it at once (every change is a compare-and-swap or a create).
 * {@link #runOnce} is not re-entrant: the scheduler calls it from one thread.
 */
public final class AllocationRepair implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AllocationRepair.class);

  private final Storage storage;
  private final ServiceAllocator allocator;
  /** Claims found orphaned in the previous pass: claims key → mod revision. */
  private Map<String, Long> suspects = new HashMap<>();
  private ScheduledExecutorService scheduler;

  public AllocationRepair(Storage storage, ServiceAllocator allocator) {
    this.storage = storage;
    this.allocator = allocator;
  }

  /** Runs a pass now and then every {@code interval}, on its own daemon thread. */
  public synchronized AllocationRepair start(Duration interval) {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "allocation-repair");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn("allocation repair failed, will retry: {}", e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass; returns how many claims it released. */
  public synchronized int runOnce() {
    Map<String, Service> services = new HashMap<>();
    String prefix = Keys.prefix(Kinds.SERVICE, "");
    String startAfter = "";
    while (true) {
      Storage.Page page = storage.list(prefix, startAfter, 1000, 0);
      for (Storage.Entry e : page.entries()) {
        Service svc = Kinds.SERVICE.parse(e.value());
        services.put(svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName(), svc);
        startAfter = e.key();
      }
      if (!page.more()) {
        break;
      }
    }
    Map<String, Long> nextSuspects = new HashMap<>();
    int released = repair(allocator.ipClaims(), services, svc -> ServiceAllocator.clusterIp(svc).stream()
        .collect(java.util.stream.Collectors.toSet()), nextSuspects);
    released += repair(allocator.nodePortClaims(), services, svc -> ServiceAllocator.nodePorts(svc).stream()
        .map(String::valueOf).collect(java.util.stream.Collectors.toSet()), nextSuspects);
    suspects = nextSuspects;
    return released;
  }

  private int repair(Claims claims, Map<String, Service> services,
      java.util.function.Function<Service, Set<String>> held, Map<String, Long> nextSuspects) {
    Map<String, Claims.Claim> all = claims.all();
    int released = 0;
    for (Map.Entry<String, Claims.Claim> c : all.entrySet()) {
      String value = c.getKey();
      Claims.Claim claim = c.getValue();
      Service owner = ownerOf(claim.owner(), services);
      if (owner != null && held.apply(owner).contains(value)) {
        continue;
      }
      String key = claims.key(value);
      Long seenBefore = suspects.get(key);
      if (seenBefore != null && seenBefore == claim.modRevision()) {
        if (claims.releaseIfUnchanged(value, claim.modRevision())) {
          log.info("released {} claimed by {}, which does not hold it", key, claim.owner());
          released++;
        }
      } else {
        nextSuspects.put(key, claim.modRevision());
      }
    }
    Set<String> reported = new HashSet<>();
    for (Service svc : services.values()) {
      for (String value : held.apply(svc)) {
        Claims.Claim claim = all.get(value);
        String owner = ServiceAllocator.owner(svc);
        if (claim == null) {
          if (claims.claim(value, owner)) {
            log.info("claimed {} for {}, which held it without a claim", claims.key(value), owner);
          }
        } else if (!claim.owner().equals(owner) && reported.add(value)) {
          log.warn("{} is held by {} but claimed by {}", claims.key(value), owner, claim.owner());
        }
      }
    }
    return released;
  }

  /** The Service a claim names, when it still exists with the same uid. */
  private static Service ownerOf(String owner, Map<String, Service> services) {
    int last = owner.lastIndexOf('/');
    if (last < 0) {
      return null;
    }
    Service svc = services.get(owner.substring(0, last));
    return svc != null && svc.getMetadata().getUid().equals(owner.substring(last + 1)) ? svc : null;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
