package io.minik8s.scheduler.framework;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler needs from it computed once: its resource requests, its host ports,
 * its controller, its node selector and tolerations. Immutable; the pod is the informer's shared message and is never modified.
 */
public final class PodInfo {
  /** What a container without a CPU request counts as when spreading load (Kubernetes' 100m). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  /** What a container without a memory request counts as when spreading load (Kubernetes' 200Mi). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  private final Pod pod;
  private final Resources requests;
  private final Resources nonZeroRequests;
  private final List<HostPort> hostPorts;
  private final String controllerUid;
  private final Map<String, String> nodeSelector;
  private final List<Toleration> tolerations;

  private PodInfo(Pod pod) {
    this.pod = pod;
    Resources sum = Resources.ZERO;
    Resources nonZero = Resources.ZERO;
    List<HostPort> ports = new ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      Map<String, String> req = c.getResources().getRequestsMap();
      Resources r = Resources.of(req);
      sum = sum.plus(r);
      nonZero = nonZero.plus(new Resources(
          req.containsKey(Resources.CPU) ? r.milliCpu() : DEFAULT_MILLI_CPU_REQUEST,
          req.containsKey(Resources.MEMORY) ? r.memoryBytes() : DEFAULT_MEMORY_REQUEST));
      for (ContainerPort p : c.getPortsList()) {
        if (p.getHostPort() > 0) {
          ports.add(new HostPort(p.getHostIp(), p.getProtocol(), p.getHostPort()));
        }
      }
    }
    this.requests = sum;
    this.nonZeroRequests = nonZero;
    this.hostPorts = List.copyOf(ports);
    String owner = "";
    for (OwnerReference o : pod.getMetadata().getOwnerReferencesList()) {
      if (o.hasController() && o.getController()) {
        owner = o.getUid();
        break;
      }
    }
    this.controllerUid = owner;
    // protobuf's map getter builds a view per call; the filters ask once per node.
    this.nodeSelector = Map.copyOf(pod.getSpec().getNodeSelectorMap());
    this.tolerations = pod.getSpec().getTolerationsList();
  }

  public static PodInfo of(Pod pod) {
    return new PodInfo(pod);
  }

  public Pod pod() {
    return pod;
  }

  public String uid() {
    return pod.getMetadata().getUid();
  }

  public String namespace() {
    return pod.getMetadata().getNamespace();
  }

  public String name() {
    return pod.getMetadata().getName();
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace() + "/" + name();
  }

  /** The node the pod is bound (or assumed) to; empty while pending. */
  public String nodeName() {
    return pod.getSpec().getNodeName();
  }

  /** The sum of the containers' requests: what the pod must fit in. */
  public Resources requests() {
    return requests;
  }

  /** Requests with Kubernetes' defaults for containers that request nothing: what load spreading counts. */
  public Resources nonZeroRequests() {
    return nonZeroRequests;
  }

  public List<HostPort> hostPorts() {
    return hostPorts;
  }

  public List<Toleration> tolerations() {
    return tolerations;
  }

  /** {@code spec.nodeSelector}. */
  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  /** The uid of the owner reference marked {@code controller: true}, or empty. */
  public String controllerUid() {
    return controllerUid;
  }

  @Override
  public String toString() {
    return key();
  }
}
