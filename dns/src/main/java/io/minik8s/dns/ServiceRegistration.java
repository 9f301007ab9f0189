package io.minik8s.dns;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this DNS server reachable at a Service's cluster IP the way the API server is reachable at the
 * {@code kubernetes} Service: the DNS process is not a pod, so nothing selects it; it keeps a Service
 * without selector (ports {@value #UDP_PORT_NAME}/53 UDP and {@value #TCP_PORT_NAME}/53 TCP, target port
 * the port it listens on, cluster IP fixed when asked) and its own address in that Service's Endpoints.
 * kube-proxy then DNATs {@code clusterIP:53} to {@code address:port}, and the Endpoints controller leaves
 * Endpoints of selector-less Services alone.
 *
 * <p>Level-based: {@link #start} makes both objects right; afterwards the informers' changes to either
 * are passed to {@link #onService}/{@link #onEndpoints}, and whatever lost our entry (a hand edit, a
 * deleted Service) is repaired on a background thread, retried every {@link #RETRY} until it succeeds.
 * {@link #close} stops the repairs and removes our address (other DNS servers' addresses stay), so
 * traffic stops coming to a server that is going away. Every write is a compare-and-swap on the
 * resourceVersion, retried on conflict, so several DNS servers can register for one Service.
 *
 * <p>Thread-safe: the writes run under this object's monitor; the informer callbacks only schedule.
 */
public final class ServiceRegistration implements AutoCloseable {
  public static final String UDP_PORT_NAME = "dns";
  public static final String TCP_PORT_NAME = "dns-tcp";
  public static final int SERVICE_PORT = 53;
  static final Duration RETRY = Duration.ofSeconds(2);
  private static final int CONFLICT_ATTEMPTS = 10;
  private static final Logger log = LoggerFactory.getLogger(ServiceRegistration.class);

  /**
   * What to register.
   *
   * @param namespace the Service's namespace ({@code kube-system})
   * @param name the Service's name ({@code kube-dns})
   * @param clusterIp the cluster IP to ask for; empty: any the API server allocates
   * @param address this server's address, as other hosts and pods reach it (never loopback)
   * @param port the port this server listens on (UDP and TCP)
   */
  public record Target(String namespace, String name, String clusterIp, String address, int port) {
    public Target {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      clusterIp = clusterIp == null ? "" : clusterIp;
      Objects.requireNonNull(address, "address");
    }

    String key() {
      return namespace + "/" + name;
    }
  }

  /** What {@link #plan} decides for the Service. */
  enum ServicePlan {
    /** No Service: create it. */
    CREATE,
    /** Right as it is. */
    KEEP,
    /** Right cluster IP, wrong ports or type: update it. */
    UPDATE,
    /** Another cluster IP than asked (immutable): delete and create it again. */
    RECREATE
  }

  private final ApiClient client;
  private final Target target;
  private final ScheduledExecutorService repairs;
  private volatile boolean closing;
  private final AtomicBoolean repairPending = new AtomicBoolean();

  public ServiceRegistration(ApiClient client, Target target) {
    this.client = client;
    this.target = target;
    this.repairs = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dns-registration");
      t.setDaemon(true);
      return t;
    });
  }

  public Target target() {
    return target;
  }

  /** Creates or fixes the Service and adds our address to its Endpoints; throws if the API refuses. */
  public synchronized void start() {
    ensure();
    log.atInfo().addKeyValue("service", target.key()).addKeyValue("clusterIP", target.clusterIp())
        .addKeyValue("endpoint", target.address() + ":" + target.port()).log("registered as the DNS Service's endpoint");
  }

  /** Informer callback: {@code service} is the current Service of that key, or null once deleted. */
  public void onService(String namespace, String name, Service service) {
    if (isOurs(namespace, name) && (service == null || plan(Optional.of(service), target) != ServicePlan.KEEP)) {
      scheduleRepair("the Service changed");
    }
  }

  /** Informer callback: {@code endpoints} is the current Endpoints of that key, or null once deleted. */
  public void onEndpoints(String namespace, String name, Endpoints endpoints) {
    if (isOurs(namespace, name) && (endpoints == null || !hasAddress(endpoints, target))) {
      scheduleRepair("our address is missing from the Endpoints");
    }
  }

  private boolean isOurs(String namespace, String name) {
    return !closing && namespace.equals(target.namespace()) && name.equals(target.name());
  }

  private void scheduleRepair(String why) {
    if (closing || !repairPending.compareAndSet(false, true)) {
      return;
    }
    // Often a false alarm (the informer has not seen our own write yet): the repair finds nothing to do.
    log.atDebug().addKeyValue("service", target.key()).log(why + "; checking the registration");
    submitRepair(Duration.ZERO);
  }

  private void submitRepair(Duration delay) {
    try {
      repairs.schedule(this::repair, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // close() ran meanwhile: nothing to repair any more
    }
  }

  private void repair() {
    // Changes seen from now on schedule another repair, so none is lost while this one runs.
    repairPending.set(false);
    try {
      synchronized (this) {
        // Checked under the monitor: close() removes our address under it, and must have the last word.
        if (closing) {
          return;
        }
        if (ensure()) {
          log.atInfo().addKeyValue("service", target.key()).addKeyValue("endpoint", target.address() + ":"
              + target.port()).log("registration repaired (the Service or our Endpoints entry had changed)");
        }
      }
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("service", target.key()).setCause(e).log("registration failed; retrying");
      if (repairPending.compareAndSet(false, true)) {
        submitRepair(RETRY);
      }
    }
  }

  /** Makes both objects right; true if anything had to be written. */
  private boolean ensure() {
    boolean wrote = ensureService();
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<Endpoints> current = client.find(Kinds.ENDPOINTS, target.namespace(), target.name());
        if (current.isEmpty()) {
          client.create(withAddress(Endpoints.newBuilder().setMetadata(meta(target)).build(), target));
          return true;
        } else if (!hasAddress(current.get(), target)) {
          client.update(withAddress(current.get(), target));
          return true;
        }
        return wrote;
      } catch (ApiException e) {
        if (!(e.isConflict() || e.isAlreadyExists()) || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private boolean ensureService() {
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<Service> current = client.find(Kinds.SERVICE, target.namespace(), target.name());
        if (current.isPresent() && !current.get().getSpec().getSelectorMap().isEmpty()) {
          throw new IllegalStateException("Service " + target.key() + " has a selector: it belongs to pods, "
              + "not to this DNS server; delete it or register under another name");
        }
        ServicePlan plan = plan(current, target);
        switch (plan) {
          case KEEP -> { }
          case CREATE -> client.create(desiredService(target));
          case UPDATE -> client.update(current.get().toBuilder().setSpec(current.get().getSpec().toBuilder()
              .setType("ClusterIP").clearPorts().addAllPorts(ports(target))).build());
          case RECREATE -> {
            log.atWarn().addKeyValue("service", target.key())
                .addKeyValue("had", current.get().getSpec().getClusterIp()).addKeyValue("wanted", target.clusterIp())
                .log("the Service has another cluster IP; deleting and creating it again");
            client.delete(Kinds.SERVICE, target.namespace(), target.name(),
                new ApiClient.DeleteOptions(null, "", current.get().getMetadata().getUid()));
            client.create(desiredService(target));
          }
        }
        return plan != ServicePlan.KEEP;
      } catch (ApiException e) {
        if (!(e.isConflict() || e.isAlreadyExists() || e.isNotFound()) || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Stops repairing and removes our address from the Endpoints; logs (never throws) when the API refuses. */
  @Override
  public void close() {
    closing = true;
    repairs.shutdownNow();
    synchronized (this) {
      for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
        try {
          Optional<Endpoints> current = client.find(Kinds.ENDPOINTS, target.namespace(), target.name());
          if (current.isPresent() && hasAddress(current.get(), target)) {
            client.update(withoutAddress(current.get(), target.address()));
            log.atInfo().addKeyValue("service", target.key()).addKeyValue("address", target.address())
                .log("removed our address from the DNS Service's endpoints");
          }
          return;
        } catch (ApiException e) {
          if (!e.isConflict()) {
            log.atWarn().addKeyValue("service", target.key()).setCause(e)
                .log("cannot remove our address from the Endpoints");
            return;
          }
        }
      }
    }
  }

  // ---- pure decisions (unit-tested) ----

  static ServicePlan plan(Optional<Service> current, Target target) {
    if (current.isEmpty()) {
      return ServicePlan.CREATE;
    }
    ServiceSpec spec = current.get().getSpec();
    if (!target.clusterIp().isEmpty() && !spec.getClusterIp().equals(target.clusterIp())) {
      return ServicePlan.RECREATE;
    }
    boolean samePorts = spec.getPortsList().stream().map(ServiceRegistration::portKey).toList()
        .equals(ports(target).stream().map(ServiceRegistration::portKey).toList());
    return samePorts && spec.getType().equals("ClusterIP") ? ServicePlan.KEEP : ServicePlan.UPDATE;
  }

  private static String portKey(ServicePort p) {
    IntOrString t = p.getTargetPort();
    return p.getName() + "/" + p.getProtocol() + "/" + p.getPort() + "->" + (t.hasIntVal() ? t.getIntVal() : t.getStrVal());
  }

  static Service desiredService(Target target) {
    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setType("ClusterIP").addAllPorts(ports(target));
    if (!target.clusterIp().isEmpty()) {
      spec.setClusterIp(target.clusterIp());
    }
    return Service.newBuilder().setMetadata(meta(target)).setSpec(spec).build();
  }

  static List<ServicePort> ports(Target target) {
    IntOrString targetPort = IntOrString.newBuilder().setIntVal(target.port()).build();
    return List.of(
        ServicePort.newBuilder().setName(UDP_PORT_NAME).setProtocol("UDP").setPort(SERVICE_PORT)
            .setTargetPort(targetPort).build(),
        ServicePort.newBuilder().setName(TCP_PORT_NAME).setProtocol("TCP").setPort(SERVICE_PORT)
            .setTargetPort(targetPort).build());
  }

  static List<EndpointPort> endpointPorts(Target target) {
    return List.of(
        EndpointPort.newBuilder().setName(UDP_PORT_NAME).setPort(target.port()).setProtocol("UDP").build(),
        EndpointPort.newBuilder().setName(TCP_PORT_NAME).setPort(target.port()).setProtocol("TCP").build());
  }

  /** Whether our address is listed, ready, with our port. */
  static boolean hasAddress(Endpoints endpoints, Target target) {
    List<EndpointPort> ours = endpointPorts(target);
    return endpoints.getSubsetsList().stream().anyMatch(s -> s.getPortsList().equals(ours)
        && s.getAddressesList().stream().anyMatch(a -> a.getIp().equals(target.address())));
  }

  /**
   * {@code endpoints} with our address in the subset of our ports (made when missing), and out of any
   * other subset (an older registration of ours with another port).
   */
  static Endpoints withAddress(Endpoints endpoints, Target target) {
    List<EndpointPort> ours = endpointPorts(target);
    Endpoints cleaned = withoutAddress(endpoints, target.address());
    Endpoints.Builder b = cleaned.toBuilder();
    EndpointAddress address = EndpointAddress.newBuilder().setIp(target.address()).build();
    for (int i = 0; i < b.getSubsetsCount(); i++) {
      if (b.getSubsets(i).getPortsList().equals(ours)) {
        b.setSubsets(i, b.getSubsets(i).toBuilder().addAddresses(address));
        return b.build();
      }
    }
    return b.addSubsets(EndpointSubset.newBuilder().addAddresses(address).addAllPorts(ours)).build();
  }

  /** {@code endpoints} without {@code address} in any subset; subsets left with no address are dropped. */
  static Endpoints withoutAddress(Endpoints endpoints, String address) {
    List<EndpointSubset> kept = new ArrayList<>();
    for (EndpointSubset s : endpoints.getSubsetsList()) {
      EndpointSubset.Builder sb = s.toBuilder().clearAddresses().clearNotReadyAddresses();
      s.getAddressesList().stream().filter(a -> !a.getIp().equals(address)).forEach(sb::addAddresses);
      s.getNotReadyAddressesList().stream().filter(a -> !a.getIp().equals(address)).forEach(sb::addNotReadyAddresses);
      if (sb.getAddressesCount() + sb.getNotReadyAddressesCount() > 0) {
        kept.add(sb.build());
      }
    }
    return endpoints.toBuilder().clearSubsets().addAllSubsets(kept).build();
  }

  private static ObjectMeta meta(Target target) {
    return ObjectMeta.newBuilder().setNamespace(target.namespace()).setName(target.name())
        .putLabels("k8s-app", "kube-dns").putLabels("provider", "minik8s").build();
  }
}
