package io.minik8s.client.printers;

import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE}; wide adds {@code SELECTOR}.
 *
 * <p>EXTERNAL-IP: the spec's externalIPs for ClusterIP and NodePort ({@code <none>} without),
 * the load balancer's ingress (plus externalIPs) for LoadBalancer ({@code <pending>} until it has
 * one), the external name for ExternalName. PORT(S): {@code 80/TCP} or {@code 80:30080/TCP}.
 */
final class ServicePrinter implements TablePrinter<Service> {
  /** kubectl shortens a load balancer's address list to this many characters in narrow output. */
  private static final int LOAD_BALANCER_WIDTH = 16;

  private final AgeColumn age;

  ServicePrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    List<String> columns = new ArrayList<>(List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"));
    if (wide) {
      columns.add("SELECTOR");
    }
    return columns;
  }

  @Override
  public List<String> row(Service service, boolean wide) {
    List<String> row = new ArrayList<>(List.of(service.getMetadata().getName(), type(service),
        Cells.orNone(service.getSpec().getClusterIp()), externalIp(service, wide), ports(service),
        age.of(service.getMetadata())));
    if (wide) {
      row.add(Cells.labels(service.getSpec().getSelectorMap()));
    }
    return row;
  }

  static String type(Service service) {
    return service.getSpec().getType().isEmpty() ? "ClusterIP" : service.getSpec().getType();
  }

  static String externalIp(Service service, boolean wide) {
    List<String> externalIps = service.getSpec().getExternalIpsList();
    switch (type(service)) {
      case "ClusterIP":
      case "NodePort":
        return externalIps.isEmpty() ? Cells.NONE : String.join(",", externalIps);
      case "LoadBalancer": {
        String ingress = loadBalancerIngress(service, wide);
        if (!externalIps.isEmpty()) {
          List<String> all = new ArrayList<>();
          if (!ingress.isEmpty()) {
            all.add(ingress);
          }
          all.addAll(externalIps);
          return String.join(",", all);
        }
        return ingress.isEmpty() ? "<pending>" : ingress;
      }
      case "ExternalName":
        return service.getSpec().getExternalName();
      default:
        return "<unknown>";
    }
  }

  private static String loadBalancerIngress(Service service, boolean wide) {
    List<String> addresses = new ArrayList<>();
    for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngressList()) {
      if (!ingress.getIp().isEmpty()) {
        addresses.add(ingress.getIp());
      } else if (!ingress.getHostname().isEmpty()) {
        addresses.add(ingress.getHostname());
      }
    }
    String joined = String.join(",", addresses);
    if (!wide && joined.length() > LOAD_BALANCER_WIDTH) {
      return joined.substring(0, LOAD_BALANCER_WIDTH - 3) + "...";
    }
    return joined;
  }

  static String ports(Service service) {
    List<String> ports = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPortsList()) {
      String protocol = port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
      ports.add(port.getNodePort() > 0
          ? port.getPort() + ":" + port.getNodePort() + "/" + protocol
          : port.getPort() + "/" + protocol);
    }
    return ports.isEmpty() ? Cells.NONE : String.join(",", ports);
  }
}
