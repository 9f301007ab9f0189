package io.minik8s.kubeproxy.rules;

import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One port of one Service, as the proxy needs it (Kubernetes' "ServicePortName" plus its addresses).
 *
 * @param namespace the Service's namespace
 * @param name the Service's name
 * @param portName the port's name ("" when unnamed); matches the Endpoints port of the same name
 * @param protocol "tcp", "udp" or "sctp" (lower case, as iptables spells it)
 * @param clusterIP the ClusterIP, or "" for none (headless and ExternalName Services have no rules)
 * @param port the Service port
 * @param nodePort the NodePort, 0 for none
 * @param externalIPs spec.externalIPs
 * @param loadBalancerIPs status.loadBalancer.ingress[].ip
 * @param affinityTimeoutSeconds sessionAffinity ClientIP timeout, 0 when there is no affinity
 */
public record ServiceInfo(String namespace, String name, String portName, String protocol, String clusterIP,
    int port, int nodePort, List<String> externalIPs, List<String> loadBalancerIPs, int affinityTimeoutSeconds) {

  /** Kubernetes' default ClientIP affinity timeout (3 hours). */
  public static final int DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

  public ServiceInfo {
    externalIPs = List.copyOf(externalIPs);
    loadBalancerIPs = List.copyOf(loadBalancerIPs);
  }

  /** "namespace/name:portName", the key of this port in logs, comments and the endpoints map. */
  public String key() {
    return namespace + "/" + name + ":" + portName;
  }

  /** The ports of {@code service} that get rules; none for headless and ExternalName Services. */
  public static List<ServiceInfo> fromService(Service service) {
    String clusterIP = service.getSpec().getClusterIp();
    if (clusterIP.isEmpty() || clusterIP.equals("None") || service.getSpec().getType().equals("ExternalName")) {
      return List.of();
    }
    int affinity = 0;
    if (service.getSpec().getSessionAffinity().equals("ClientIP")) {
      var clientIp = service.getSpec().getSessionAffinityConfig().getClientIp();
      affinity = clientIp.hasTimeoutSeconds() ? clientIp.getTimeoutSeconds() : DEFAULT_AFFINITY_TIMEOUT_SECONDS;
    }
    List<String> lbIPs = new ArrayList<>();
    for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngressList()) {
      if (!ingress.getIp().isEmpty()) {
        lbIPs.add(ingress.getIp());
      }
    }
    List<ServiceInfo> out = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPortsList()) {
      String protocol = port.getProtocol().isEmpty() ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
      out.add(new ServiceInfo(service.getMetadata().getNamespace(), service.getMetadata().getName(), port.getName(),
          protocol, clusterIP, port.getPort(), port.getNodePort(), service.getSpec().getExternalIpsList(), lbIPs,
          affinity));
    }
    return out;
  }
}
