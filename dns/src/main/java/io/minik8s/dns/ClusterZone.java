package io.minik8s.dns;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.client.informer.Lister;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The records of {@code svc.<cluster-domain>}, computed on each question from the informers' current
 * Services and Endpoints (nothing is cached here, so an answer is never older than the informers):
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<domain>} A → the cluster IP; for a headless Service, the ready endpoint IPs;
 *       for an ExternalName Service, a CNAME to the external name (whatever the type asked);
 *   <li>{@code <ip-with-dashes or hostname>.<svc>.<ns>.svc.<domain>} A → that endpoint of a headless Service;
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<domain>} SRV → each named port (for a headless Service, one
 *       record per ready endpoint), with the targets' A records as additionals;
 *   <li>other names under the domain → NXDOMAIN; names outside it → {@link ZoneAnswer.NotInZone}.
 * </ul>
 * Thread-safe: the listers are.
 */
public final class ClusterZone {
  static final long TTL_SECONDS = 5;

  private final String domain;
  private final Lister<Service> services;
  private final Lister<Endpoints> endpoints;

  public ClusterZone(String clusterDomain, Lister<Service> services, Lister<Endpoints> endpoints) {
    this.domain = strip(clusterDomain.toLowerCase(Locale.ROOT));
    this.services = services;
    this.endpoints = endpoints;
  }

  public String domain() {
    return domain;
  }

  public ZoneAnswer answer(String qname, DnsRecordType type) {
    String name = strip(qname.toLowerCase(Locale.ROOT));
    if (!name.equals(domain) && !name.endsWith("." + domain)) {
      return new ZoneAnswer.NotInZone();
    }
    String rel = name.equals(domain) ? "" : name.substring(0, name.length() - domain.length() - 1);
    String[] labels = rel.isEmpty() ? new String[0] : rel.split("\\.");
    int n = labels.length;
    if (n == 0 || (n == 1 && labels[0].equals("svc"))) {
      return empty();
    }
    if (n < 2 || !labels[n - 1].equals("svc")) {
      return new ZoneAnswer.NxDomain();
    }
    String ns = labels[n - 2];
    if (n == 2) {
      return services.listInNamespace(ns).isEmpty() ? new ZoneAnswer.NxDomain() : empty();
    }
    Optional<Service> svc = services.get(ns, labels[n - 3]);
    if (svc.isEmpty()) {
      return new ZoneAnswer.NxDomain();
    }
    String svcName = labels[n - 3] + "." + ns + ".svc." + domain;
    if (n == 3) {
      return service(svc.get(), svcName, type);
    }
    if (n == 4) {
      return endpointHost(svc.get(), labels[0], name, type);
    }
    if (n == 5 && labels[0].startsWith("_") && labels[1].startsWith("_")) {
      return srv(svc.get(), labels[0].substring(1), labels[1].substring(1), name, svcName, type);
    }
    return new ZoneAnswer.NxDomain();
  }

  private ZoneAnswer service(Service svc, String name, DnsRecordType type) {
    String svcType = svc.getSpec().getType();
    if (svcType.equals("ExternalName")) {
      return new ZoneAnswer.Found(List.of(DnsRecords.cname(name, TTL_SECONDS, svc.getSpec().getExternalName())),
          List.of());
    }
    if (isHeadless(svc)) {
      List<EndpointAddress> ready = readyAddresses(svc);
      if (ready.isEmpty()) {
        return new ZoneAnswer.NxDomain();
      }
      if (type != DnsRecordType.A && type != DnsRecordType.ANY) {
        return empty();
      }
      List<DnsRecord> out = new ArrayList<>();
      ready.stream().map(EndpointAddress::getIp).filter(DnsRecords::isIpv4).distinct()
          .forEach(ip -> out.add(DnsRecords.a(name, TTL_SECONDS, ip)));
      return new ZoneAnswer.Found(out, List.of());
    }
    String ip = svc.getSpec().getClusterIp();
    if ((type == DnsRecordType.A || type == DnsRecordType.ANY) && DnsRecords.isIpv4(ip)) {
      return new ZoneAnswer.Found(List.of(DnsRecords.a(name, TTL_SECONDS, ip)), List.of());
    }
    return empty();
  }

  private ZoneAnswer endpointHost(Service svc, String host, String name, DnsRecordType type) {
    if (!isHeadless(svc)) {
      return new ZoneAnswer.NxDomain();
    }
    for (EndpointAddress a : readyAddresses(svc)) {
      if (hostLabel(a).equals(host)) {
        return type == DnsRecordType.A || type == DnsRecordType.ANY
            ? new ZoneAnswer.Found(List.of(DnsRecords.a(name, TTL_SECONDS, a.getIp())), List.of()) : empty();
      }
    }
    return new ZoneAnswer.NxDomain();
  }

  private ZoneAnswer srv(Service svc, String portName, String proto, String name, String svcName, DnsRecordType type) {
    Optional<ServicePort> port = svc.getSpec().getPortsList().stream()
        .filter(p -> !p.getName().isEmpty() && p.getName().equalsIgnoreCase(portName)
            && p.getProtocol().equalsIgnoreCase(proto))
        .findFirst();
    if (port.isEmpty() || svc.getSpec().getType().equals("ExternalName")) {
      return new ZoneAnswer.NxDomain();
    }
    if (type != DnsRecordType.SRV && type != DnsRecordType.ANY) {
      return empty();
    }
    List<DnsRecord> answers = new ArrayList<>();
    List<DnsRecord> additionals = new ArrayList<>();
    if (!isHeadless(svc)) {
      answers.add(DnsRecords.srv(name, TTL_SECONDS, 0, 100, port.get().getPort(), svcName));
      if (DnsRecords.isIpv4(svc.getSpec().getClusterIp())) {
        additionals.add(DnsRecords.a(svcName, TTL_SECONDS, svc.getSpec().getClusterIp()));
      }
      return new ZoneAnswer.Found(answers, additionals);
    }
    Optional<Endpoints> eps = endpoints.get(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
    for (EndpointSubset s : eps.map(Endpoints::getSubsetsList).orElse(List.of())) {
      for (EndpointPort p : s.getPortsList()) {
        if (!p.getName().equals(port.get().getName())) {
          continue;
        }
        for (EndpointAddress a : s.getAddressesList()) {
          String target = hostLabel(a) + "." + svcName;
          answers.add(DnsRecords.srv(name, TTL_SECONDS, 0, 100, p.getPort(), target));
          if (DnsRecords.isIpv4(a.getIp())) {
            additionals.add(DnsRecords.a(target, TTL_SECONDS, a.getIp()));
          }
        }
      }
    }
    return answers.isEmpty() ? new ZoneAnswer.NxDomain() : new ZoneAnswer.Found(answers, additionals);
  }

  private List<EndpointAddress> readyAddresses(Service svc) {
    Optional<Endpoints> eps = endpoints.get(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
    List<EndpointAddress> out = new ArrayList<>();
    eps.ifPresent(e -> e.getSubsetsList().forEach(s -> out.addAll(s.getAddressesList())));
    return out;
  }

  /** The label an endpoint has under its Service: its hostname, else its IP with dashes. */
  private static String hostLabel(EndpointAddress a) {
    return a.getHostname().isEmpty() ? a.getIp().replace('.', '-').replace(':', '-') : a.getHostname().toLowerCase(Locale.ROOT);
  }

  private static boolean isHeadless(Service svc) {
    return svc.getSpec().getClusterIp().equals("None");
  }

  private static ZoneAnswer empty() {
    return new ZoneAnswer.Found(List.of(), List.of());
  }

  private static String strip(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
