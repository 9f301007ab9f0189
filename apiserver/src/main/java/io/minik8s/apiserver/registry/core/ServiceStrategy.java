package io.minik8s.apiserver.registry.core;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.apiserver.validation.MetadataValidation;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: defaults and validation. Allocating cluster IPs and node ports is the job of
 * {@link io.minik8s.apiserver.registry.core.allocation.ServiceAllocator}; here a given IP must at least be an IP.
 */
public final class ServiceStrategy implements ResourceStrategy<Service> {
  static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  static final List<String> AFFINITIES = List.of("ClientIP", "None");
  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

  @Override
  public Kind<Service> kind() {
    return Kinds.SERVICE;
  }

  @Override
  public List<String> validateName(String name) {
    return NameRules.dns1035Label(name);
  }

  @Override
  public Service applyDefaults(Service svc) {
    ServiceSpec.Builder s = svc.getSpec().toBuilder();
    if (s.getType().isEmpty()) {
      s.setType("ClusterIP");
    }
    if (s.getSessionAffinity().isEmpty()) {
      s.setSessionAffinity("None");
    }
    if (!s.getType().equals("ExternalName")) {
      if (s.getInternalTrafficPolicy().isEmpty()) {
        s.setInternalTrafficPolicy("Cluster");
      }
      if ((s.getType().equals("NodePort") || s.getType().equals("LoadBalancer"))
          && s.getExternalTrafficPolicy().isEmpty()) {
        s.setExternalTrafficPolicy("Cluster");
      }
    }
    if (s.getSessionAffinity().equals("ClientIP") && !s.getSessionAffinityConfig().getClientIp().hasTimeoutSeconds()) {
      s.getSessionAffinityConfigBuilder().getClientIpBuilder().setTimeoutSeconds(10800);
    }
    for (int i = 0; i < s.getPortsCount(); i++) {
      ServicePort.Builder p = s.getPorts(i).toBuilder();
      if (p.getProtocol().isEmpty()) {
        p.setProtocol("TCP");
      }
      if (!p.hasTargetPort() || p.getTargetPort().getValueCase() == IntOrString.ValueCase.VALUE_NOT_SET) {
        p.setTargetPort(IntOrString.newBuilder().setIntVal(p.getPort()));
      }
      s.setPorts(i, p);
    }
    if (!s.getClusterIp().isEmpty() && s.getClusterIpsCount() == 0) {
      s.addClusterIps(s.getClusterIp());
    }
    return svc.toBuilder().setSpec(s).build();
  }

  /**
   * Keeps what the server allocated when the client leaves it out (an update built from a manifest
   * has no clusterIP or nodePort), and drops it when the type no longer uses it and the client did not
   * change it, as Kubernetes does: ClusterIP → ExternalName clears the IP, NodePort → ClusterIP the ports.
   */
  @Override
  public Service prepareForUpdate(Service old, Service updated) {
    ServiceSpec o = old.getSpec();
    ServiceSpec.Builder s = updated.getSpec().toBuilder();
    boolean external = s.getType().equals("ExternalName");
    if (!external && !o.getType().equals("ExternalName") && s.getClusterIp().isEmpty() && !o.getClusterIp().isEmpty()) {
      s.setClusterIp(o.getClusterIp()).clearClusterIps().addAllClusterIps(o.getClusterIpsList());
    }
    if (external && !o.getType().equals("ExternalName") && s.getClusterIp().equals(o.getClusterIp())) {
      s.clearClusterIp().clearClusterIps();
    }
    boolean nodePorts = usesNodePorts(s.getType());
    for (int i = 0; i < s.getPortsCount(); i++) {
      ServicePort p = s.getPorts(i);
      ServicePort before = samePort(o, p);
      if (before == null || before.getNodePort() == 0) {
        continue;
      }
      if (nodePorts && p.getNodePort() == 0 && usesNodePorts(o.getType())) {
        s.setPorts(i, p.toBuilder().setNodePort(before.getNodePort()));
      } else if (!nodePorts && p.getNodePort() == before.getNodePort()) {
        s.setPorts(i, p.toBuilder().setNodePort(0));
      }
    }
    return updated.toBuilder().setSpec(s).build();
  }

  /** The port of {@code spec} that is {@code p}: same name, or same number and protocol. */
  private static ServicePort samePort(ServiceSpec spec, ServicePort p) {
    for (ServicePort candidate : spec.getPortsList()) {
      if (!p.getName().isEmpty() ? candidate.getName().equals(p.getName())
          : candidate.getPort() == p.getPort() && candidate.getProtocol().equals(p.getProtocol())) {
        return candidate;
      }
    }
    return null;
  }

  /** Whether services of this type get node ports. */
  public static boolean usesNodePorts(String type) {
    return type.equals("NodePort") || type.equals("LoadBalancer");
  }

  @Override
  public void validate(Service svc, FieldErrors errs) {
    ServiceSpec s = svc.getSpec();
    FieldPath spec = FieldPath.root("spec");
    if (!TYPES.contains(s.getType())) {
      errs.notSupported(spec.child("type"), s.getType(), TYPES);
      return;
    }
    boolean externalName = s.getType().equals("ExternalName");
    boolean headless = s.getClusterIp().equals("None");
    if (externalName) {
      if (s.getExternalName().isEmpty()) {
        errs.required(spec.child("externalName"));
      } else {
        errs.invalidIfAny(spec.child("externalName"), s.getExternalName(),
            NameRules.dns1123Subdomain(s.getExternalName().replaceAll("\\.$", "")));
      }
    } else if (s.getPortsCount() == 0 && !headless) {
      errs.required(spec.child("ports"));
    }
    if (!AFFINITIES.contains(s.getSessionAffinity())) {
      errs.notSupported(spec.child("sessionAffinity"), s.getSessionAffinity(), AFFINITIES);
    }
    if (!s.getClusterIp().isEmpty() && !headless) {
      errs.invalidIfAny(spec.child("clusterIP"), s.getClusterIp(), NameRules.ip(s.getClusterIp()));
    }
    if (headless && (s.getType().equals("NodePort") || s.getType().equals("LoadBalancer"))) {
      errs.invalid(spec.child("clusterIP"), "None", "may not be set to 'None' for " + s.getType() + " services");
    }
    for (int i = 0; i < s.getExternalIpsCount(); i++) {
      errs.invalidIfAny(spec.child("externalIPs").index(i), s.getExternalIps(i), NameRules.ip(s.getExternalIps(i)));
    }
    if (!s.getExternalTrafficPolicy().isEmpty() && !TRAFFIC_POLICIES.contains(s.getExternalTrafficPolicy())) {
      errs.notSupported(spec.child("externalTrafficPolicy"), s.getExternalTrafficPolicy(), TRAFFIC_POLICIES);
    }
    MetadataValidation.labels(s.getSelectorMap(), spec.child("selector"), errs);
    ports(s, spec.child("ports"), errs);
  }

  private static void ports(ServiceSpec s, FieldPath pp, FieldErrors errs) {
    Set<String> names = new HashSet<>();
    Set<String> ports = new HashSet<>();
    boolean nodePortsAllowed = s.getType().equals("NodePort") || s.getType().equals("LoadBalancer");
    for (int i = 0; i < s.getPortsCount(); i++) {
      ServicePort p = s.getPorts(i);
      FieldPath ip = pp.index(i);
      if (s.getPortsCount() > 1 && p.getName().isEmpty()) {
        errs.required(ip.child("name"));
      } else if (!p.getName().isEmpty()) {
        errs.invalidIfAny(ip.child("name"), p.getName(), NameRules.dns1123Label(p.getName()));
        if (!names.add(p.getName())) {
          errs.duplicate(ip.child("name"), p.getName());
        }
      }
      errs.invalidIfAny(ip.child("port"), p.getPort(), NameRules.portNumber(p.getPort()));
      if (!PROTOCOLS.contains(p.getProtocol())) {
        errs.notSupported(ip.child("protocol"), p.getProtocol(), PROTOCOLS);
      }
      if (!ports.add(p.getProtocol() + "/" + p.getPort())) {
        errs.duplicate(ip, p.getPort() + "/" + p.getProtocol());
      }
      IntOrString t = p.getTargetPort();
      if (t.hasIntVal()) {
        errs.invalidIfAny(ip.child("targetPort"), t.getIntVal(), NameRules.portNumber(t.getIntVal()));
      } else if (t.hasStrVal()) {
        errs.invalidIfAny(ip.child("targetPort"), t.getStrVal(), NameRules.portName(t.getStrVal()));
      }
      if (p.getNodePort() != 0) {
        if (!nodePortsAllowed) {
          errs.forbidden(ip.child("nodePort"), "may not be used when `type` is '" + s.getType() + "'");
        } else {
          errs.invalidIfAny(ip.child("nodePort"), p.getNodePort(), NameRules.portNumber(p.getNodePort()));
        }
      }
    }
  }

  @Override
  public void validateUpdate(Service old, Service updated, FieldErrors errs) {
    String oldIp = old.getSpec().getClusterIp();
    if (!oldIp.isEmpty() && !updated.getSpec().getType().equals("ExternalName")
        && !old.getSpec().getType().equals("ExternalName")
        && !oldIp.equals(updated.getSpec().getClusterIp())) {
      errs.invalid(FieldPath.root("spec").child("clusterIP"), updated.getSpec().getClusterIp(), "field is immutable");
    }
  }
}
