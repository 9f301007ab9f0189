package io.minik8s.controllermanager.endpoints;

import io.minik8s.api.ContainerPort;
import io.minik8s.api.Container;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Computes the subsets of a Service's Endpoints from the pods it selects, as Kubernetes' endpoints
 * controller does. Pure and stateless: the same inputs give equal output, in a canonical order
 * (subsets by their ports, addresses by IP then pod uid, ports by name, number and protocol), so a
 * caller can compare it with what is stored and write only on a change.
 *
 * <p>Rules: a pod counts when it has a podIP, is not being deleted and has not finished (Succeeded or
 * Failed). It is ready when its {@code Ready} condition is {@code True}, or always when the Service
 * publishes not-ready addresses. Each service port resolves per pod: a number {@code targetPort} as
 * is (an unset one means the service port), a name through the pod's container ports of the same
 * protocol; a pod lacking the name is left out for that port. Addresses with the same set of resolved
 * ports share one subset. A Service without ports gets one subset of addresses without ports.
 */
public final class EndpointsBuilder {
  private static final Comparator<EndpointPort> PORT_ORDER = Comparator.comparing(EndpointPort::getName)
      .thenComparingInt(EndpointPort::getPort).thenComparing(EndpointPort::getProtocol);
  private static final Comparator<EndpointAddress> ADDRESS_ORDER = Comparator.comparing(EndpointAddress::getIp)
      .thenComparing(a -> a.getTargetRef().getUid());

  private EndpointsBuilder() {}

  /** The subsets for {@code service} given the pods its selector matches (in its namespace). */
  public static List<EndpointSubset> subsets(Service service, List<Pod> selectedPods) {
    boolean publishNotReady = service.getSpec().getPublishNotReadyAddresses();
    // port set (canonical string) → subset being built
    Map<String, Group> groups = new TreeMap<>();
    for (Pod pod : selectedPods) {
      if (!counts(pod)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort sp : service.getSpec().getPortsList()) {
        OptionalInt port = resolve(pod, sp);
        if (port.isPresent()) {
          ports.add(EndpointPort.newBuilder().setName(sp.getName()).setPort(port.getAsInt())
              .setProtocol(protocol(sp.getProtocol())).setAppProtocol(sp.getAppProtocol()).build());
        }
      }
      if (ports.isEmpty() && service.getSpec().getPortsCount() > 0) {
        continue;
      }
      ports.sort(PORT_ORDER);
      String groupKey = ports.stream().map(p -> p.getName() + ":" + p.getPort() + "/" + p.getProtocol())
          .collect(Collectors.joining(","));
      Group g = groups.computeIfAbsent(groupKey, k -> new Group(ports));
      EndpointAddress address = address(pod, service);
      if (publishNotReady || isReady(pod)) {
        g.ready.add(address);
      } else {
        g.notReady.add(address);
      }
    }
    List<EndpointSubset> subsets = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      g.ready.sort(ADDRESS_ORDER);
      g.notReady.sort(ADDRESS_ORDER);
      subsets.add(EndpointSubset.newBuilder().addAllAddresses(g.ready).addAllNotReadyAddresses(g.notReady)
          .addAllPorts(g.ports).build());
    }
    return subsets;
  }

  private static final class Group {
    final List<EndpointPort> ports;
    final List<EndpointAddress> ready = new ArrayList<>();
    final List<EndpointAddress> notReady = new ArrayList<>();

    Group(List<EndpointPort> ports) {
      this.ports = ports;
    }
  }

  static boolean counts(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return !pod.getStatus().getPodIp().isEmpty() && !pod.getMetadata().hasDeletionTimestamp()
        && !phase.equals("Succeeded") && !phase.equals("Failed");
  }

  static boolean isReady(Pod pod) {
    for (PodCondition c : pod.getStatus().getConditionsList()) {
      if (c.getType().equals("Ready")) {
        return c.getStatus().equals("True");
      }
    }
    return false;
  }

  /** The pod's port for one service port, or empty when a named target port is not among its containers'. */
  static OptionalInt resolve(Pod pod, ServicePort servicePort) {
    IntOrString target = servicePort.getTargetPort();
    switch (target.getValueCase()) {
      case STR_VAL: {
        String protocol = protocol(servicePort.getProtocol());
        for (Container c : pod.getSpec().getContainersList()) {
          for (ContainerPort p : c.getPortsList()) {
            if (p.getName().equals(target.getStrVal()) && protocol(p.getProtocol()).equals(protocol)) {
              return OptionalInt.of(p.getContainerPort());
            }
          }
        }
        return OptionalInt.empty();
      }
      case INT_VAL:
        if (target.getIntVal() > 0) {
          return OptionalInt.of(target.getIntVal());
        }
        return OptionalInt.of(servicePort.getPort());
      default:
        return OptionalInt.of(servicePort.getPort());
    }
  }

  private static String protocol(String p) {
    return p.isEmpty() ? "TCP" : p;
  }

  private static EndpointAddress address(Pod pod, Service service) {
    EndpointAddress.Builder a = EndpointAddress.newBuilder().setIp(pod.getStatus().getPodIp())
        .setTargetRef(ObjectReference.newBuilder().setKind("Pod").setNamespace(pod.getMetadata().getNamespace())
            .setName(pod.getMetadata().getName()).setUid(pod.getMetadata().getUid()));
    if (!pod.getSpec().getNodeName().isEmpty()) {
      a.setNodeName(pod.getSpec().getNodeName());
    }
    // As Kubernetes: a pod's hostname is published when it lives in the service's subdomain.
    if (!pod.getSpec().getHostname().isEmpty()
        && pod.getSpec().getSubdomain().equals(service.getMetadata().getName())) {
      a.setHostname(pod.getSpec().getHostname());
    }
    return a.build();
  }

  /** The labels an Endpoints object carries: the Service's, plus Kubernetes' headless marker. */
  static Map<String, String> labels(Service service) {
    Map<String, String> labels = new LinkedHashMap<>(service.getMetadata().getLabelsMap());
    if (service.getSpec().getClusterIp().equals("None")) {
      labels.put(HEADLESS_LABEL, "");
    } else {
      labels.remove(HEADLESS_LABEL);
    }
    return labels;
  }

  static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
}
