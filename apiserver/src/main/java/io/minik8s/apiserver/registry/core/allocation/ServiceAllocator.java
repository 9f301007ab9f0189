package io.minik8s.apiserver.registry.core.allocation;

import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.registry.ResourceAllocator;
import io.minik8s.apiserver.registry.core.ServiceStrategy;
import io.minik8s.apiserver.storage.Storage;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster IPs and node ports of Services, as {@link Claims} in etcd: {@value #IP_PREFIX}{@code <ip>} and
 * {@value #NODE_PORT_PREFIX}{@code <port>}, each holding the owner {@code <namespace>/<name>/<uid>}.
 *
 * <p>A cluster IP is chosen for a Service that gives none (not for ExternalName or headless ones) and
 * checked when given; node ports likewise for each port of a NodePort or LoadBalancer Service. Claims
 * are made before the Service is written, so two API servers can never hand out one value twice; a
 * failed write releases them, a delete or a type change away releases them after the write. What a
 * crash leaves behind, {@link AllocationRepair} releases. Thread-safe.
 */
public final class ServiceAllocator implements ResourceAllocator<Service> {
  public static final String IP_PREFIX = "/registry/ranges/serviceips/";
  public static final String NODE_PORT_PREFIX = "/registry/ranges/servicenodeports/";
  private static final Logger log = LoggerFactory.getLogger(ServiceAllocator.class);

  private final Ipv4Range ipRange;
  private final PortRange portRange;
  private final RangeAllocator ips;
  private final RangeAllocator ports;

  public ServiceAllocator(Storage storage, Ipv4Range ipRange, PortRange portRange) {
    this.ipRange = ipRange;
    this.portRange = portRange;
    SecureRandom random = new SecureRandom();
    this.ips = new RangeAllocator(new Claims(storage, IP_PREFIX), ipRange.size(), ipRange::address, random);
    this.ports = new RangeAllocator(new Claims(storage, NODE_PORT_PREFIX), portRange.size(),
        i -> Integer.toString(portRange.first() + (int) i), random);
  }

  public Ipv4Range ipRange() {
    return ipRange;
  }

  public PortRange portRange() {
    return portRange;
  }

  public Claims ipClaims() {
    return ips.claims();
  }

  public Claims nodePortClaims() {
    return ports.claims();
  }

  /** The owner string stored in a claim. */
  public static String owner(Service svc) {
    return svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName() + "/" + svc.getMetadata().getUid();
  }

  /** The cluster IP a Service holds a claim for, if any. */
  public static Optional<String> clusterIp(Service svc) {
    ServiceSpec s = svc.getSpec();
    if (s.getType().equals("ExternalName") || s.getClusterIp().isEmpty() || s.getClusterIp().equals("None")) {
      return Optional.empty();
    }
    return Optional.of(s.getClusterIp());
  }

  /** The node ports a Service holds claims for. */
  public static Set<Integer> nodePorts(Service svc) {
    Set<Integer> out = new LinkedHashSet<>();
    if (svc != null && ServiceStrategy.usesNodePorts(svc.getSpec().getType())) {
      for (ServicePort p : svc.getSpec().getPortsList()) {
        if (p.getNodePort() != 0) {
          out.add(p.getNodePort());
        }
      }
    }
    return out;
  }

  @Override
  public Reservation<Service> reserve(Service old, Service updated) {
    String owner = owner(updated);
    List<String> claimedIps = new ArrayList<>();
    List<String> claimedPorts = new ArrayList<>();
    FieldErrors errs = new FieldErrors();
    FieldPath spec = FieldPath.root("spec");
    ServiceSpec.Builder s = updated.getSpec().toBuilder();
    Optional<String> oldIp = old == null ? Optional.empty() : clusterIp(old);
    Set<Integer> oldPorts = nodePorts(old);
    try {
      boolean wantsIp = !s.getType().equals("ExternalName") && !s.getClusterIp().equals("None");
      if (wantsIp && s.getClusterIp().isEmpty()) {
        String ip = ips.allocateNext(owner).orElseThrow(() -> ApiException.of("InternalError", 500,
            "failed to allocate a serviceIP: range " + ipRange + " is full"));
        claimedIps.add(ip);
        s.setClusterIp(ip).clearClusterIps().addClusterIps(ip);
      } else if (wantsIp && !oldIp.equals(Optional.of(s.getClusterIp()))) {
        String ip = s.getClusterIp();
        if (!ipRange.contains(ip)) {
          errs.invalid(spec.child("clusterIP"), ip, "provided IP is not in the valid range. The range of valid IPs is "
              + ipRange);
        } else if (!ips.claims().claim(ip, owner)) {
          errs.invalid(spec.child("clusterIP"), ip, "provided IP is already allocated");
        } else {
          claimedIps.add(ip);
        }
      }
      Set<Integer> held = new LinkedHashSet<>();
      if (ServiceStrategy.usesNodePorts(s.getType())) {
        for (int i = 0; i < s.getPortsCount(); i++) {
          ServicePort p = s.getPorts(i);
          FieldPath field = spec.child("ports").index(i).child("nodePort");
          if (p.getNodePort() == 0) {
            int port = Integer.parseInt(ports.allocateNext(owner).orElseThrow(() -> ApiException.of("InternalError",
                500, "failed to allocate a nodePort: range " + portRange + " is full")));
            claimedPorts.add(Integer.toString(port));
            held.add(port);
            s.setPorts(i, p.toBuilder().setNodePort(port));
          } else if (oldPorts.contains(p.getNodePort()) || held.contains(p.getNodePort())) {
            held.add(p.getNodePort()); // already ours: kept, or shared by two protocols of this Service
          } else if (!portRange.contains(p.getNodePort())) {
            errs.invalid(field, p.getNodePort(), "provided port is not in the valid range. The range of valid ports is "
                + portRange);
          } else if (!ports.claims().claim(Integer.toString(p.getNodePort()), owner)) {
            errs.invalid(field, p.getNodePort(), "provided port is already allocated");
          } else {
            claimedPorts.add(Integer.toString(p.getNodePort()));
            held.add(p.getNodePort());
          }
        }
      }
      errs.throwIfAny(Kinds.SERVICE, updated.getMetadata().getName());
      Service result = updated.toBuilder().setSpec(s).build();
      Optional<String> newIp = clusterIp(result);
      List<String> ipsToFree = oldIp.filter(ip -> !newIp.equals(Optional.of(ip))).stream().toList();
      List<String> portsToFree = oldPorts.stream().filter(p -> !held.contains(p)).map(String::valueOf).toList();
      String oldOwner = old == null ? owner : owner(old);
      return new ServiceReservation(result, owner, claimedIps, claimedPorts, oldOwner, ipsToFree, portsToFree);
    } catch (RuntimeException e) {
      releaseAll(owner, claimedIps, claimedPorts);
      throw e;
    }
  }

  @Override
  public void released(Service removed) {
    releaseAll(owner(removed), clusterIp(removed).stream().toList(),
        nodePorts(removed).stream().map(String::valueOf).toList());
  }

  /** Releases the claims; a failure is logged and left to {@link AllocationRepair}. */
  private void releaseAll(String owner, List<String> ipValues, List<String> portValues) {
    try {
      for (String ip : ipValues) {
        ips.claims().release(ip, owner);
      }
      for (String port : portValues) {
        ports.claims().release(port, owner);
      }
    } catch (RuntimeException e) {
      log.warn("could not release the allocations of {} ({} {}); the repair will: {}", owner, ipValues, portValues,
          e.toString());
    }
  }

  private final class ServiceReservation implements Reservation<Service> {
    private final Service object;
    private final String owner;
    private final List<String> claimedIps;
    private final List<String> claimedPorts;
    private final String oldOwner;
    private final List<String> ipsToFree;
    private final List<String> portsToFree;

    ServiceReservation(Service object, String owner, List<String> claimedIps, List<String> claimedPorts,
        String oldOwner, List<String> ipsToFree, List<String> portsToFree) {
      this.object = object;
      this.owner = owner;
      this.claimedIps = claimedIps;
      this.claimedPorts = claimedPorts;
      this.oldOwner = oldOwner;
      this.ipsToFree = ipsToFree;
      this.portsToFree = portsToFree;
    }

    @Override
    public Service object() {
      return object;
    }

    @Override
    public void commit() {
      releaseAll(oldOwner, ipsToFree, portsToFree);
    }

    @Override
    public void abort() {
      releaseAll(owner, claimedIps, claimedPorts);
    }
  }
}
