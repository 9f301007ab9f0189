package io.minik8s.cli.describe;

import io.minik8s.api.Endpoints;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.client.printers.Cells;
import io.minik8s.client.printers.EndpointsPrinter;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.Optional;

/** Services: selector, type, IPs, each port with its target, node port and endpoints, then events. */
final class ServiceDescriber implements Describer<Service> {
  @Override
  public void describe(Service service, DescribeWriter w, DescribeContext context) {
    Sections.header(w, Kinds.SERVICE, service.getMetadata(), context);
    var spec = service.getSpec();
    w.line(0, "Selector:", Cells.labels(spec.getSelectorMap()));
    String type = spec.getType().isEmpty() ? "ClusterIP" : spec.getType();
    w.line(0, "Type:", type);
    if (!spec.getIpFamilyPolicy().isEmpty()) {
      w.line(0, "IP Family Policy:", spec.getIpFamilyPolicy());
    }
    if (spec.getIpFamiliesCount() > 0) {
      w.line(0, "IP Families:", String.join(",", spec.getIpFamiliesList()));
    }
    w.line(0, "IP:", Cells.orNone(spec.getClusterIp()));
    if (spec.getClusterIpsCount() > 0) {
      w.line(0, "IPs:", String.join(",", spec.getClusterIpsList()));
    }
    if (spec.getExternalIpsCount() > 0) {
      w.line(0, "External IPs:", String.join(",", spec.getExternalIpsList()));
    }
    if (!spec.getLoadBalancerIp().isEmpty()) {
      w.line(0, "IP:", spec.getLoadBalancerIp());
    }
    if (!spec.getExternalName().isEmpty()) {
      w.line(0, "External Name:", spec.getExternalName());
    }
    for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngressList()) {
      w.line(0, "LoadBalancer Ingress:", ingress.getIp().isEmpty() ? ingress.getHostname() : ingress.getIp());
    }
    Optional<Endpoints> endpoints = Optional.empty();
    try {
      endpoints = context.client().find(Kinds.ENDPOINTS, service.getMetadata().getNamespace(),
          service.getMetadata().getName());
    } catch (ApiException e) {
      // Shown as <none>, as when the endpoints object does not exist yet.
    }
    for (ServicePort port : spec.getPortsList()) {
      String name = port.getName().isEmpty() ? "<unset>" : port.getName();
      String protocol = Sections.protocol(port.getProtocol());
      w.line(0, "Port:", name, port.getPort() + "/" + protocol);
      String target = !port.hasTargetPort() ? Integer.toString(port.getPort())
          : port.getTargetPort().hasStrVal() ? port.getTargetPort().getStrVal()
          : Integer.toString(port.getTargetPort().getIntVal());
      w.line(0, "TargetPort:", target + "/" + protocol);
      if (port.getNodePort() != 0) {
        w.line(0, "NodePort:", name, port.getNodePort() + "/" + protocol);
      }
      w.line(0, "Endpoints:", endpoints.map(e -> EndpointsPrinter.format(e,
          p -> p.getName().equals(port.getName()))).orElse(Cells.NONE));
    }
    w.line(0, "Session Affinity:", spec.getSessionAffinity().isEmpty() ? "None" : spec.getSessionAffinity());
    if (!spec.getExternalTrafficPolicy().isEmpty()) {
      w.line(0, "External Traffic Policy:", spec.getExternalTrafficPolicy());
    }
    if (!spec.getInternalTrafficPolicy().isEmpty()) {
      w.line(0, "Internal Traffic Policy:", spec.getInternalTrafficPolicy());
    }
    Sections.events(w, Kinds.SERVICE, service.getMetadata(), context);
  }
}
