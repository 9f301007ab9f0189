package io.minik8s.apiserver.registry.core;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.client.api.ApiException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Service {@code kubernetes} in {@code default}, through which pods reach the API servers: cluster IP
 * the first address of the service range, port 443 named {@value #PORT_NAME} to the API server's gRPC
 * port, no selector; and its Endpoints, to which every API server adds its own address at start.
 * Idempotent and safe with several API servers (creates tolerate AlreadyExists, changes are
 * compare-and-swap). Addresses of API servers that went away are not removed.
 */
public final class KubernetesService {
  public static final String NAME = "kubernetes";
  public static final String NAMESPACE = "default";
  public static final String PORT_NAME = "grpc";
  private static final Logger log = LoggerFactory.getLogger(KubernetesService.class);

  private final ResourceRegistry<Service> services;
  private final ResourceRegistry<Endpoints> endpoints;

  public KubernetesService(ResourceRegistry<Service> services, ResourceRegistry<Endpoints> endpoints) {
    this.services = services;
    this.endpoints = endpoints;
  }

  /** Creates the Service when missing (with {@code clusterIp}) and adds {@code address:port} to its Endpoints. */
  public void ensure(String clusterIp, String address, int port) {
    ensureService(clusterIp, port);
    ensureEndpoints(address, port);
  }

  private void ensureService(String clusterIp, int port) {
    if (services.find(NAMESPACE, NAME).isPresent()) {
      return;
    }
    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp(clusterIp)
        .addPorts(ServicePort.newBuilder().setName(PORT_NAME).setProtocol("TCP").setPort(443)
            .setTargetPort(IntOrString.newBuilder().setIntVal(port)));
    Service svc = Service.newBuilder().setMetadata(meta()).setSpec(spec).build();
    try {
      createIfMissing(svc);
    } catch (ApiException e) {
      if (e.code() != 422) {
        throw e;
      }
      // Either another API server is creating the Service right now (it holds the IP), or a user
      // Service took the IP: re-check, then take any IP.
      if (services.find(NAMESPACE, NAME).isEmpty()) {
        log.warn("{} is not available for the kubernetes Service ({}); it gets another one", clusterIp, e.getMessage());
        createIfMissing(svc.toBuilder().setSpec(spec.clearClusterIp()).build());
      }
    }
  }

  private void createIfMissing(Service svc) {
    try {
      services.create(svc, false);
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
    }
  }

  private void ensureEndpoints(String address, int port) {
    EndpointPort ep = EndpointPort.newBuilder().setName(PORT_NAME).setPort(port).setProtocol("TCP").build();
    for (int attempt = 0; attempt < 8; attempt++) {
      Optional<Endpoints> current = endpoints.find(NAMESPACE, NAME);
      if (current.isEmpty()) {
        try {
          endpoints.create(Endpoints.newBuilder().setMetadata(meta()).addSubsets(EndpointSubset.newBuilder()
              .addAddresses(EndpointAddress.newBuilder().setIp(address)).addPorts(ep)).build(), false);
          return;
        } catch (ApiException e) {
          if (e.isAlreadyExists()) {
            continue;
          }
          throw e;
        }
      }
      endpoints.modify(NAMESPACE, NAME, eps -> withAddress(eps, address, ep));
      return;
    }
  }

  /** {@code eps} with {@code address} in the subset of port {@code ep} (made when missing). */
  static Endpoints withAddress(Endpoints eps, String address, EndpointPort ep) {
    Endpoints.Builder b = eps.toBuilder();
    for (int i = 0; i < b.getSubsetsCount(); i++) {
      EndpointSubset s = b.getSubsets(i);
      if (s.getPortsList().equals(List.of(ep))) {
        if (s.getAddressesList().stream().anyMatch(a -> a.getIp().equals(address))) {
          return eps;
        }
        b.setSubsets(i, s.toBuilder().addAddresses(EndpointAddress.newBuilder().setIp(address)));
        return b.build();
      }
    }
    return b.addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp(address))
        .addPorts(ep)).build();
  }

  private static ObjectMeta meta() {
    return ObjectMeta.newBuilder().setName(NAME).setNamespace(NAMESPACE)
        .putLabels("component", "apiserver").putLabels("provider", "minik8s").build();
  }
}
