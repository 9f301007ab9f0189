package io.minik8s.client.printers;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** {@code NAME ENDPOINTS AGE}: the first three ready {@code ip:port} pairs, then {@code + N more...}. */
public final class EndpointsPrinter implements TablePrinter<Endpoints> {
  private static final int SHOWN = 3;

  private final AgeColumn age;

  EndpointsPrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    return List.of("NAME", "ENDPOINTS", "AGE");
  }

  @Override
  public List<String> row(Endpoints endpoints, boolean wide) {
    return List.of(endpoints.getMetadata().getName(), format(endpoints, port -> true),
        age.of(endpoints.getMetadata()));
  }

  /**
   * The ready addresses, each with every port the filter accepts ({@code 10.1.0.5:8080}; just the
   * IP for a subset without ports), at most three shown; {@code <none>} when there are none.
   */
  public static String format(Endpoints endpoints, Predicate<EndpointPort> portFilter) {
    List<String> shown = new ArrayList<>();
    int count = 0;
    for (EndpointSubset subset : endpoints.getSubsetsList()) {
      if (subset.getPortsCount() == 0) {
        for (EndpointAddress address : subset.getAddressesList()) {
          count++;
          if (shown.size() < SHOWN) {
            shown.add(address.getIp());
          }
        }
        continue;
      }
      for (EndpointPort port : subset.getPortsList()) {
        if (!portFilter.test(port)) {
          continue;
        }
        for (EndpointAddress address : subset.getAddressesList()) {
          count++;
          if (shown.size() < SHOWN) {
            shown.add(hostPort(address.getIp(), port.getPort()));
          }
        }
      }
    }
    String result = String.join(",", shown);
    if (count > shown.size()) {
      result += " + " + (count - shown.size()) + " more...";
    }
    return result.isEmpty() ? Cells.NONE : result;
  }

  private static String hostPort(String ip, int port) {
    return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
  }
}
