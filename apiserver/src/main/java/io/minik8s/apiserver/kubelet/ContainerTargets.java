package io.minik8s.apiserver.kubelet;

import io.minik8s.api.Container;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Finds where a pod's container can be reached: the container (the pod's only one when none is named), and
 * the kubelet of the pod's node (its InternalIP and {@code status.daemonEndpoints.kubeletEndpoint.Port}).
 * Errors are Kubernetes': BadRequest for a missing or wrong container or an unscheduled pod,
 * ServiceUnavailable for a node that does not say where its kubelet is. Stateless and thread-safe.
 */
public final class ContainerTargets {
  private final Registries registries;

  public ContainerTargets(Registries registries) {
    this.registries = registries;
  }

  /** A container of a running pod, and its kubelet. */
  public record Target(Pod pod, String container, URI kubelet) {
    /** A kubelet URL for this container: {@code <kubelet>/<prefix>/<namespace>/<pod>/<container><query>}. */
    public URI uri(String prefix, String query) {
      return kubelet.resolve("/" + prefix + "/" + enc(pod.getMetadata().getNamespace()) + "/"
          + enc(pod.getMetadata().getName()) + "/" + enc(container) + query);
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }

  /** Blocking (reads the pod and its node). */
  public Target resolve(String namespace, String name, String container) {
    Pod pod = registries.pods().get(namespace, name);
    if (container.isEmpty()) {
      if (pod.getSpec().getContainersCount() != 1) {
        throw ApiException.badRequest("a container name must be specified for pod " + name
            + ", choose one of: [" + pod.getSpec().getContainersList().stream().map(Container::getName)
            .collect(Collectors.joining(" ")) + "]");
      }
      container = pod.getSpec().getContainers(0).getName();
    } else {
      String wanted = container;
      if (pod.getSpec().getContainersList().stream().noneMatch(c -> c.getName().equals(wanted))) {
        throw ApiException.badRequest("container " + container + " is not valid for pod " + name);
      }
    }
    if (pod.getSpec().getNodeName().isEmpty()) {
      throw ApiException.badRequest("pod " + name + " does not have a host assigned");
    }
    Node node = registries.of(Kinds.NODE).get("", pod.getSpec().getNodeName());
    String address = node.getStatus().getAddressesList().stream()
        .filter(a -> a.getType().equals("InternalIP")).map(NodeAddress::getAddress).findFirst()
        .orElseThrow(() -> ApiException.of(ApiException.UNAVAILABLE, 503, "node " + node.getMetadata().getName()
            + " has no InternalIP address"));
    int port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    if (port == 0) {
      throw ApiException.of(ApiException.UNAVAILABLE, 503, "node " + node.getMetadata().getName()
          + " does not publish its kubelet port");
    }
    String host = address.contains(":") ? "[" + address + "]" : address;
    return new Target(pod, container, URI.create("http://" + host + ":" + port + "/"));
  }
}
