package io.minik8s.kubeproxy.loadbalancer;

import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Service;
import io.minik8s.kubeproxy.sync.BoundedFrequencyRunner;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node answer for the Services' load-balancer addresses: each
 * {@code status.loadBalancer.ingress[].ip} is held as a /32 on a link of our own ({@link LinkAddresses},
 * {@code minik8s-lb0}), so the kernel takes the address as local and answers ARP for it, and the DNAT
 * rules of the proxier catch what arrives. Without this the rules only work for traffic that some
 * router already sends to the node.
 *
 * <p>Informer handlers call {@link #onService} (cheap, any thread); one thread ({@link #start}) makes
 * the link match: after a change (at most once per {@code minSyncPeriod}) and every {@code syncPeriod}
 * anyway, so an address or link removed or set down by hand comes back. Only the addresses of Services
 * that get rules count (not headless, not ExternalName), IPv4 only. The link exists only while there
 * is an address to hold: a node without load-balancer Services is left untouched. On shutdown the
 * addresses stay (as the rules do: traffic keeps flowing while kube-proxy restarts);
 * {@link #cleanup} ({@code --cleanup}) deletes the link. {@link #sync} is synchronized.
 *
 * <p>Every node holds every address, so on a shared segment each node answers ARP for it and clients
 * send to whichever answer they kept; any node forwards to every endpoint, so that works, but nothing
 * here elects one node per address (as MetalLB's layer-2 mode does) or moves it when a node fails.
 */
public final class LoadBalancerAddressBinder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadBalancerAddressBinder.class);
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private final LinkAddresses link;
  private final Map<String, Set<String>> wanted = new ConcurrentHashMap<>();
  private final BoundedFrequencyRunner runner;

  public LoadBalancerAddressBinder(LinkAddresses link, Duration minSyncPeriod, Duration syncPeriod) {
    this.link = link;
    this.runner = new BoundedFrequencyRunner("lb-address-sync", minSyncPeriod, syncPeriod, full -> sync());
  }

  /** Records the load-balancer addresses of {@code service} (null: deleted) under its "namespace/name". */
  public void onService(String key, Service service) {
    Set<String> ips = service == null ? Set.of() : addressesOf(service);
    Set<String> before = ips.isEmpty() ? wanted.remove(key) : wanted.put(key, ips);
    if (!ips.equals(before == null ? Set.of() : before)) {
      runner.requestSync();
    }
  }

  /** The addresses a Service asks this node to hold. */
  static Set<String> addressesOf(Service service) {
    String clusterIp = service.getSpec().getClusterIp();
    if (clusterIp.isEmpty() || clusterIp.equals("None") || service.getSpec().getType().equals("ExternalName")) {
      return Set.of();
    }
    Set<String> ips = new HashSet<>();
    for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngressList()) {
      if (IPV4.matcher(ingress.getIp()).matches()) {
        ips.add(ingress.getIp());
      }
    }
    return ips;
  }

  /** Every address wanted now, sorted. */
  public Set<String> desired() {
    Set<String> all = new TreeSet<>();
    wanted.values().forEach(all::addAll);
    return all;
  }

  /**
   * Makes the link hold exactly {@link #desired()}: creates it (up) when needed, sets it up, adds and
   * removes addresses, deletes it when nothing is wanted.
   *
   * @return whether anything was changed
   */
  public synchronized boolean sync() throws LinkException {
    Set<String> desired = desired();
    Optional<LinkAddresses.LinkState> state = link.read();
    if (desired.isEmpty()) {
      if (state.isEmpty()) {
        return false;
      }
      link.delete();
      log.atInfo().addKeyValue("link", link.linkName()).log("no load-balancer IPs to hold: deleted the link");
      return true;
    }
    boolean changes = false;
    Set<String> current = Set.of();
    if (state.isEmpty()) {
      link.create();
      changes = true;
    } else {
      current = state.get().addresses();
      if (!state.get().up()) {
        link.setUp();
        changes = true;
      }
    }
    for (String ip : desired) {
      if (!current.contains(ip)) {
        link.addAddress(ip);
        changes = true;
      }
    }
    for (String ip : new TreeSet<>(current)) {
      if (!desired.contains(ip)) {
        link.deleteAddress(ip);
        changes = true;
      }
    }
    if (changes) {
      log.atInfo().addKeyValue("link", link.linkName()).addKeyValue("ips", desired).log("load-balancer IPs bound");
    }
    return changes;
  }

  /** Starts the sync thread: a sync at once, then as {@link BoundedFrequencyRunner} schedules. */
  public void start() {
    runner.start();
  }

  /** Stops the sync thread; the addresses stay bound. */
  @Override
  public void close() throws InterruptedException {
    runner.close();
  }

  /** Deletes the link and its addresses, if it exists ({@code --cleanup}). */
  public static void cleanup(LinkAddresses link) throws LinkException {
    if (link.read().isPresent()) {
      link.delete();
    }
  }
}
