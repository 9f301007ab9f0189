package io.minik8s.controllermanager.loadbalancer;

import io.micrometer.core.instrument.Gauge;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.LoadBalancerStatus;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.informer.Store;
import io.minik8s.client.workqueue.Result;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each Service of type LoadBalancer one address of the {@code --load-balancer-ip-pool}, written
 * to {@code status.loadBalancer.ingress[0].ip} (where kube-proxy picks it up), and takes it back when
 * the Service goes away or changes type: the part of a cloud's load balancer that a bare-metal cluster
 * can have. Keys are the Service's {@code namespace/name}.
 *
 * <p>Reconcile, per Service:
 * <ul>
 *   <li>gone → its addresses are freed;</li>
 *   <li>not of type LoadBalancer → any {@code status.loadBalancer} is cleared, then its addresses freed;</li>
 *   <li>an ingress address outside the pool (written by someone else, or from an earlier pool) → left
 *       alone;</li>
 *   <li>{@code spec.loadBalancerIP} set → that address if it is in the pool and free; otherwise a
 *       Warning Event {@value #REASON_FAILED} and the Service keeps what it has;</li>
 *   <li>an ingress address in the pool → kept (unless another Service holds it: then the Service gets
 *       a new one, with a Warning Event {@value #REASON_CONFLICT});</li>
 *   <li>otherwise → the lowest free address; none left → a Warning Event {@value #REASON_FAILED} and the
 *       Service stays pending.</li>
 * </ul>
 * Whenever addresses are freed, every Service still waiting for one is enqueued, so a pending Service
 * gets the address as soon as it frees up; waiting Services are also retried every {@link #RETRY_PENDING}.
 *
 * <p>Who holds what lives in an {@link IpAllocator}, ahead of the informer cache (a status just written
 * may not be in the cache yet). It is rebuilt from the cached Services on the first reconcile, which
 * the process runs only after the informers synced: a restarted controller-manager (or a new leader)
 * knows every address already handed out. If two Services show the same address then, the one created
 * first keeps it. Status writes carry the cached resourceVersion: a conflict is retried with back-off.
 *
 * <p>Not guaranteed: a status written by a previous leader and not yet delivered to this process' cache
 * when it takes over could be handed out again; the conflict rule above then moves the younger Service.
 */
public final class ServiceLoadBalancerController implements Controller {
  public static final String NAME = "service-lb";
  public static final String REASON_ALLOCATED = "IPAllocated";
  public static final String REASON_FAILED = "AllocationFailed";
  public static final String REASON_CONFLICT = "IPConflict";
  public static final String REASON_RELEASED = "IPReleased";
  /** How often a Service still waiting for an address is tried again, besides whenever one frees up. */
  public static final Duration RETRY_PENDING = Duration.ofSeconds(30);

  static final String LOAD_BALANCER = "LoadBalancer";
  private static final Logger log = LoggerFactory.getLogger(ServiceLoadBalancerController.class);
  private static final Comparator<Service> OLDEST_FIRST = Comparator
      .comparingLong((Service s) -> s.getMetadata().getCreationTimestamp().getSeconds())
      .thenComparingInt(s -> s.getMetadata().getCreationTimestamp().getNanos())
      .thenComparing(Store::keyOf);

  private final ApiClient client;
  private final Lister<Service> services;
  private final IpAllocator allocator;
  private final EventRecorder events;
  private final Consumer<String> enqueue;
  private final Object rebuildLock = new Object();
  private boolean rebuilt;

  /**
   * @param enqueue adds a Service key to this controller's work queue (for Services waiting on an
   *     address that was just freed)
   */
  public ServiceLoadBalancerController(ApiClient client, Lister<Service> services, IpPool pool, EventRecorder events,
      Consumer<String> enqueue) {
    this.client = client;
    this.services = services;
    this.allocator = new IpAllocator(pool);
    this.events = events;
    this.enqueue = enqueue;
  }

  /** The controller wired to the process, with gauges of the pool's size and of the addresses held. */
  public static ServiceLoadBalancerController create(ControllerContext context, IpPool pool) {
    ServiceLoadBalancerController c = new ServiceLoadBalancerController(context.client(),
        context.informers().informer(Kinds.SERVICE).lister(), pool, context.events(), context.queue()::add);
    Gauge.builder("service_lb_pool_size", pool, IpPool::size)
        .description("Addresses in the --load-balancer-ip-pool").register(context.meters());
    Gauge.builder("service_lb_pool_allocated", c.allocator, IpAllocator::allocatedCount)
        .description("Addresses of the load-balancer pool held by Services").register(context.meters());
    return c;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {
    if (allocator.pool().isEmpty()) {
      log.info("no --load-balancer-ip-pool given: Services of type LoadBalancer stay pending");
      return;
    }
    context.informers().informer(Kinds.SERVICE)
        .addEventHandler(ResourceEventHandler.onChange(s -> context.queue().add(Store.keyOf(s))));
  }

  @Override
  public Result reconcile(String key) {
    if (allocator.pool().isEmpty()) {
      return Result.done();
    }
    rebuildOnce();
    Optional<Service> found = services.get(key);
    if (found.isEmpty()) {
      release(key, null);
      return Result.done();
    }
    Service svc = found.get();
    List<String> ingress = ingressIps(svc);
    if (!svc.getSpec().getType().equals(LOAD_BALANCER)) {
      if (svc.getStatus().getLoadBalancer().getIngressCount() > 0) {
        client.updateStatus(withIngress(svc, null));
        events.record(svc, EventRecorder.NORMAL, REASON_RELEASED, "Release", "Released " + String.join(", ", ingress)
            + ": the Service is no longer of type LoadBalancer");
      }
      release(key, null);
      return Result.done();
    }
    String current = ingress.isEmpty() ? "" : ingress.get(0);
    if (svc.getStatus().getLoadBalancer().getIngressCount() > 0 && !allocator.pool().contains(current)) {
      release(key, null); // not ours to manage
      return Result.done();
    }

    String requested = svc.getSpec().getLoadBalancerIp();
    if (!requested.isEmpty()) {
      String problem = null;
      boolean mayFreeUp = false;
      if (IpPool.parseAddress(requested).isEmpty()) {
        problem = "requested loadBalancerIP " + requested + " is not an IPv4 address";
      } else if (!allocator.pool().contains(requested)) {
        problem = "requested loadBalancerIP " + requested + " is not in the load-balancer IP pool " + allocator.pool();
      } else {
        Optional<String> other = allocator.claim(key, requested);
        if (other.isPresent()) {
          problem = "requested loadBalancerIP " + requested + " is already allocated to Service " + other.get();
          mayFreeUp = true;
        }
      }
      if (problem != null) {
        events.record(svc, EventRecorder.WARNING, REASON_FAILED, "Allocate", problem);
        keepCurrentOrClear(key, svc, current);
        return mayFreeUp ? Result.requeueAfter(RETRY_PENDING) : Result.done();
      }
      return assign(key, svc, ingress, requested);
    }
    if (!current.isEmpty()) {
      Optional<String> other = allocator.claim(key, current);
      if (other.isEmpty()) {
        return assign(key, svc, ingress, current);
      }
      events.record(svc, EventRecorder.WARNING, REASON_CONFLICT, "Allocate",
          current + " is held by Service " + other.get() + ": assigning another address");
    }
    Optional<String> free = allocator.allocate(key);
    if (free.isEmpty()) {
      events.record(svc, EventRecorder.WARNING, REASON_FAILED, "Allocate", "no address available: the load-balancer"
          + " IP pool " + allocator.pool() + " is exhausted (" + allocator.allocatedCount() + " of "
          + allocator.pool().size() + " allocated)");
      keepCurrentOrClear(key, svc, current);
      return Result.requeueAfter(RETRY_PENDING);
    }
    return assign(key, svc, ingress, free.get());
  }

  /** Makes the Service's ingress exactly {@code ip} (held by {@code key} already) and frees its others. */
  private Result assign(String key, Service svc, List<String> ingress, String ip) {
    if (!ingress.equals(List.of(ip)) || svc.getStatus().getLoadBalancer().getIngressCount() != 1) {
      client.updateStatus(withIngress(svc, ip));
      log.atInfo().addKeyValue("service", key).addKeyValue("ip", ip).log("assigned load-balancer IP");
      events.record(svc, EventRecorder.NORMAL, REASON_ALLOCATED, "Allocate", "Assigned IP " + ip);
    }
    release(key, ip);
    return Result.done();
  }

  /**
   * After a failure: the Service keeps the address in its status if it may (nothing is written);
   * one held by another Service is removed from its status, so no address shows on two Services.
   */
  private void keepCurrentOrClear(String key, Service svc, String current) {
    if (current.isEmpty()) {
      release(key, null);
      return;
    }
    if (allocator.claim(key, current).isEmpty()) {
      release(key, current);
      return;
    }
    client.updateStatus(withIngress(svc, null));
    release(key, null);
  }

  /** Frees {@code key}'s addresses but {@code keep}; if any was freed, wakes the Services waiting for one. */
  private void release(String key, String keep) {
    List<String> freed = allocator.releaseAllExcept(key, keep);
    if (freed.isEmpty()) {
      return;
    }
    log.atInfo().addKeyValue("service", key).addKeyValue("ips", freed).log("released load-balancer IPs");
    for (Service s : services.list()) {
      String other = Store.keyOf(s);
      if (!other.equals(key) && isWaiting(s)) {
        enqueue.accept(other);
      }
    }
  }

  /** A LoadBalancer Service without an address, or without the one it asks for. */
  private static boolean isWaiting(Service s) {
    if (!s.getSpec().getType().equals(LOAD_BALANCER)) {
      return false;
    }
    List<String> ips = ingressIps(s);
    String requested = s.getSpec().getLoadBalancerIp();
    return ips.isEmpty() || (!requested.isEmpty() && !ips.contains(requested));
  }

  private void rebuildOnce() {
    synchronized (rebuildLock) {
      if (rebuilt) {
        return;
      }
      int claimed = 0;
      for (Service s : services.list().stream().sorted(OLDEST_FIRST).toList()) {
        List<String> ips = ingressIps(s);
        if (!ips.isEmpty() && allocator.pool().contains(ips.get(0))
            && allocator.claim(Store.keyOf(s), ips.get(0)).isEmpty()) {
          claimed++;
        }
      }
      rebuilt = true;
      log.atInfo().addKeyValue("pool", allocator.pool()).addKeyValue("poolSize", allocator.pool().size())
          .addKeyValue("allocated", claimed).log("load-balancer IP allocations rebuilt from the Services");
    }
  }

  private static List<String> ingressIps(Service s) {
    return s.getStatus().getLoadBalancer().getIngressList().stream().map(LoadBalancerIngress::getIp)
        .filter(ip -> !ip.isEmpty()).toList();
  }

  /** {@code svc} with its load-balancer status set to {@code ip}, or cleared for null. */
  private static Service withIngress(Service svc, String ip) {
    LoadBalancerStatus.Builder lb = LoadBalancerStatus.newBuilder();
    if (ip != null) {
      lb.addIngress(LoadBalancerIngress.newBuilder().setIp(ip));
    }
    return svc.toBuilder().setStatus(svc.getStatus().toBuilder().setLoadBalancer(lb)).build();
  }
}
