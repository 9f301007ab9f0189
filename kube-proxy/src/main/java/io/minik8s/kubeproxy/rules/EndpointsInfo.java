package io.minik8s.kubeproxy.rules;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ready endpoints of one Service port, sorted and without duplicates (so the rules do not depend on
 * the order the Endpoints controller wrote them in).
 */
public record EndpointsInfo(List<Endpoint> endpoints) {

  /** One backend: a pod IP and the target port. Ordered by IP text, then port. */
  public record Endpoint(String ip, int port) implements Comparable<Endpoint> {
    @Override
    public int compareTo(Endpoint o) {
      int c = ip.compareTo(o.ip);
      return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
      return ip + ":" + port;
    }
  }

  public EndpointsInfo {
    endpoints = List.copyOf(new TreeSet<>(endpoints));
  }

  public static EndpointsInfo of(Endpoint... endpoints) {
    return new EndpointsInfo(List.of(endpoints));
  }

  /**
   * The ready addresses of {@code endpoints} per Service port key ({@link ServiceInfo#key()}); not-ready
   * addresses get no traffic.
   */
  public static Map<String, EndpointsInfo> fromEndpoints(Endpoints endpoints) {
    String prefix = endpoints.getMetadata().getNamespace() + "/" + endpoints.getMetadata().getName() + ":";
    Map<String, List<Endpoint>> byPort = new HashMap<>();
    for (EndpointSubset subset : endpoints.getSubsetsList()) {
      for (EndpointPort port : subset.getPortsList()) {
        List<Endpoint> list = byPort.computeIfAbsent(prefix + port.getName(), k -> new ArrayList<>());
        for (EndpointAddress address : subset.getAddressesList()) {
          list.add(new Endpoint(address.getIp(), port.getPort()));
        }
      }
    }
    Map<String, EndpointsInfo> out = new HashMap<>();
    byPort.forEach((key, list) -> out.put(key, new EndpointsInfo(list)));
    return out;
  }
}
