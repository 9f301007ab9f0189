package io.minik8s.cli.describe;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.stream.Collectors;

/** Endpoints: each subset's ready and not-ready addresses and its ports. */
final class EndpointsDescriber implements Describer<Endpoints> {
  @Override
  public void describe(Endpoints endpoints, DescribeWriter w, DescribeContext context) {
    Sections.header(w, Kinds.ENDPOINTS, endpoints.getMetadata(), context);
    w.line(0, "Subsets:");
    for (EndpointSubset subset : endpoints.getSubsetsList()) {
      w.line(1, "Addresses:", ips(subset.getAddressesList()));
      w.line(1, "NotReadyAddresses:", ips(subset.getNotReadyAddressesList()));
      if (subset.getPortsCount() == 0) {
        w.line(1, "Ports:", "<none>");
        continue;
      }
      w.line(1, "Ports:");
      w.line(2, "Name", "Port", "Protocol");
      w.line(2, "----", "----", "--------");
      for (EndpointPort port : subset.getPortsList()) {
        w.line(2, port.getName().isEmpty() ? "<unset>" : port.getName(), Integer.toString(port.getPort()),
            Sections.protocol(port.getProtocol()));
      }
    }
    w.line(0, "");
    Sections.events(w, Kinds.ENDPOINTS, endpoints.getMetadata(), context);
  }

  private static String ips(List<EndpointAddress> addresses) {
    return addresses.isEmpty() ? "<none>"
        : addresses.stream().map(EndpointAddress::getIp).collect(Collectors.joining(","));
  }
}
