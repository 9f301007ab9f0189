package io.minik8s.apiserver.registry.pods;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EnvVar;
import io.minik8s.api.IntOrString;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Toleration;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.apiserver.validation.MetadataValidation;
import io.minik8s.client.codec.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation of a pod spec (of a pod or of a workload's template), after defaults. */
public final class PodSpecValidation {
  static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
  static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
  static final List<String> RESOURCE_NAMES = List.of("cpu", "memory", "ephemeral-storage", "pods");

  private PodSpecValidation() {}

  public static void validate(PodSpec spec, FieldPath path, FieldErrors errs) {
    FieldPath containersPath = path.child("containers");
    if (spec.getContainersCount() == 0) {
      errs.required(containersPath);
    }
    Set<String> names = new HashSet<>();
    Set<String> hostPorts = new HashSet<>();
    for (int i = 0; i < spec.getContainersCount(); i++) {
      Container c = spec.getContainers(i);
      FieldPath cp = containersPath.index(i);
      if (c.getName().isEmpty()) {
        errs.required(cp.child("name"));
      } else {
        errs.invalidIfAny(cp.child("name"), c.getName(), NameRules.dns1123Label(c.getName()));
        if (!names.add(c.getName())) {
          errs.duplicate(cp.child("name"), c.getName());
        }
      }
      container(c, cp, hostPorts, errs);
    }
    if (!RESTART_POLICIES.contains(spec.getRestartPolicy())) {
      errs.notSupported(path.child("restartPolicy"), spec.getRestartPolicy(), RESTART_POLICIES);
    }
    if (!DNS_POLICIES.contains(spec.getDnsPolicy())) {
      errs.notSupported(path.child("dnsPolicy"), spec.getDnsPolicy(), DNS_POLICIES);
    }
    if (spec.getTerminationGracePeriodSeconds() < 0) {
      errs.invalid(path.child("terminationGracePeriodSeconds"), spec.getTerminationGracePeriodSeconds(),
          "must be greater than or equal to 0");
    }
    MetadataValidation.labels(spec.getNodeSelectorMap(), path.child("nodeSelector"), errs);
    if (!spec.getNodeName().isEmpty()) {
      errs.invalidIfAny(path.child("nodeName"), spec.getNodeName(), NameRules.dns1123Subdomain(spec.getNodeName()));
    }
    if (!spec.getHostname().isEmpty()) {
      errs.invalidIfAny(path.child("hostname"), spec.getHostname(), NameRules.dns1123Label(spec.getHostname()));
    }
    if (!spec.getSubdomain().isEmpty()) {
      errs.invalidIfAny(path.child("subdomain"), spec.getSubdomain(), NameRules.dns1123Label(spec.getSubdomain()));
    }
    for (int i = 0; i < spec.getTolerationsCount(); i++) {
      toleration(spec.getTolerations(i), path.child("tolerations").index(i), errs);
    }
  }

  private static void container(Container c, FieldPath cp, Set<String> hostPorts, FieldErrors errs) {
    if (c.getImage().isBlank()) {
      errs.required(cp.child("image"));
    }
    if (!PULL_POLICIES.contains(c.getImagePullPolicy())) {
      errs.notSupported(cp.child("imagePullPolicy"), c.getImagePullPolicy(), PULL_POLICIES);
    }
    Set<String> portNames = new HashSet<>();
    for (int j = 0; j < c.getPortsCount(); j++) {
      ContainerPort p = c.getPorts(j);
      FieldPath pp = cp.child("ports").index(j);
      if (!p.getName().isEmpty()) {
        errs.invalidIfAny(pp.child("name"), p.getName(), NameRules.portName(p.getName()));
        if (!portNames.add(p.getName())) {
          errs.duplicate(pp.child("name"), p.getName());
        }
      }
      if (p.getContainerPort() == 0) {
        errs.required(pp.child("containerPort"));
      } else {
        errs.invalidIfAny(pp.child("containerPort"), p.getContainerPort(), NameRules.portNumber(p.getContainerPort()));
      }
      if (p.getHostPort() != 0) {
        errs.invalidIfAny(pp.child("hostPort"), p.getHostPort(), NameRules.portNumber(p.getHostPort()));
        if (!hostPorts.add(p.getProtocol() + "/" + p.getHostIp() + "/" + p.getHostPort())) {
          errs.duplicate(pp.child("hostPort"), p.getProtocol() + "/" + p.getHostPort());
        }
      }
      if (!PROTOCOLS.contains(p.getProtocol())) {
        errs.notSupported(pp.child("protocol"), p.getProtocol(), PROTOCOLS);
      }
      if (!p.getHostIp().isEmpty()) {
        errs.invalidIfAny(pp.child("hostIP"), p.getHostIp(), NameRules.ip(p.getHostIp()));
      }
    }
    for (int j = 0; j < c.getEnvCount(); j++) {
      EnvVar e = c.getEnv(j);
      FieldPath ep = cp.child("env").index(j);
      if (e.getName().isEmpty()) {
        errs.required(ep.child("name"));
      } else if (e.getName().contains("=")) {
        errs.invalid(ep.child("name"), e.getName(), "a valid environment variable name must not contain '='");
      }
    }
    if (c.hasResources()) {
      resources(c.getResources(), cp.child("resources"), errs);
    }
    probe(c.getLivenessProbe(), c.hasLivenessProbe(), cp.child("livenessProbe"), portNames, errs);
    probe(c.getReadinessProbe(), c.hasReadinessProbe(), cp.child("readinessProbe"), portNames, errs);
    probe(c.getStartupProbe(), c.hasStartupProbe(), cp.child("startupProbe"), portNames, errs);
    if (c.hasLivenessProbe() && c.getLivenessProbe().getSuccessThreshold() != 1) {
      errs.invalid(cp.child("livenessProbe").child("successThreshold"), c.getLivenessProbe().getSuccessThreshold(),
          "must be 1");
    }
    if (c.hasStartupProbe() && c.getStartupProbe().getSuccessThreshold() != 1) {
      errs.invalid(cp.child("startupProbe").child("successThreshold"), c.getStartupProbe().getSuccessThreshold(),
          "must be 1");
    }
  }

  private static void resources(ResourceRequirements r, FieldPath rp, FieldErrors errs) {
    quantities(r.getLimitsMap(), rp.child("limits"), errs);
    quantities(r.getRequestsMap(), rp.child("requests"), errs);
    r.getRequestsMap().forEach((name, value) -> {
      String limit = r.getLimitsMap().get(name);
      if (limit != null) {
        try {
          if (Quantity.parse(value).compareTo(Quantity.parse(limit)) > 0) {
            errs.invalid(rp.child("requests").key(name), value, "must be less than or equal to " + name + " limit of " + limit);
          }
        } catch (IllegalArgumentException ignored) {
          // reported by quantities()
        }
      }
    });
  }

  private static void quantities(Map<String, String> values, FieldPath path, FieldErrors errs) {
    values.forEach((name, value) -> {
      if (!RESOURCE_NAMES.contains(name) && !name.contains("/")) {
        errs.notSupported(path.key(name), name, RESOURCE_NAMES);
        return;
      }
      try {
        Quantity q = Quantity.parse(value);
        if (q.asDecimal().signum() < 0) {
          errs.invalid(path.key(name), value, "must be greater than or equal to 0");
        }
      } catch (IllegalArgumentException e) {
        errs.invalid(path.key(name), value, e.getMessage());
      }
    });
  }

  private static void probe(Probe p, boolean present, FieldPath pp, Set<String> portNames, FieldErrors errs) {
    if (!present) {
      return;
    }
    int handlers = (p.hasExec() ? 1 : 0) + (p.hasHttpGet() ? 1 : 0) + (p.hasTcpSocket() ? 1 : 0);
    if (handlers == 0) {
      errs.required(pp, "must specify a handler type");
    } else if (handlers > 1) {
      errs.forbidden(pp, "may not specify more than 1 handler type");
    }
    if (p.hasExec() && p.getExec().getCommandCount() == 0) {
      errs.required(pp.child("exec").child("command"));
    }
    if (p.hasHttpGet()) {
      probePort(p.getHttpGet().getPort(), p.getHttpGet().hasPort(), pp.child("httpGet").child("port"), portNames, errs);
      List<String> schemes = List.of("HTTP", "HTTPS");
      if (!schemes.contains(p.getHttpGet().getScheme())) {
        errs.notSupported(pp.child("httpGet").child("scheme"), p.getHttpGet().getScheme(), schemes);
      }
    }
    if (p.hasTcpSocket()) {
      probePort(p.getTcpSocket().getPort(), p.getTcpSocket().hasPort(), pp.child("tcpSocket").child("port"), portNames, errs);
    }
    nonNegative(p.getInitialDelaySeconds(), pp.child("initialDelaySeconds"), errs);
    nonNegative(p.getTimeoutSeconds(), pp.child("timeoutSeconds"), errs);
    nonNegative(p.getPeriodSeconds(), pp.child("periodSeconds"), errs);
    nonNegative(p.getSuccessThreshold(), pp.child("successThreshold"), errs);
    nonNegative(p.getFailureThreshold(), pp.child("failureThreshold"), errs);
  }

  private static void probePort(IntOrString port, boolean present, FieldPath path, Set<String> portNames,
      FieldErrors errs) {
    if (!present || port.getValueCase() == IntOrString.ValueCase.VALUE_NOT_SET) {
      errs.required(path);
    } else if (port.hasIntVal()) {
      errs.invalidIfAny(path, port.getIntVal(), NameRules.portNumber(port.getIntVal()));
    } else {
      errs.invalidIfAny(path, port.getStrVal(), NameRules.portName(port.getStrVal()));
    }
  }

  private static void nonNegative(int value, FieldPath path, FieldErrors errs) {
    if (value < 0) {
      errs.invalid(path, value, "must be greater than or equal to 0");
    }
  }

  private static void toleration(Toleration t, FieldPath tp, FieldErrors errs) {
    if (!t.getKey().isEmpty()) {
      errs.invalidIfAny(tp.child("key"), t.getKey(), NameRules.qualifiedName(t.getKey()));
    }
    if (!TOLERATION_OPERATORS.contains(t.getOperator())) {
      errs.notSupported(tp.child("operator"), t.getOperator(), TOLERATION_OPERATORS);
    } else if (t.getOperator().equals("Exists") && !t.getValue().isEmpty()) {
      errs.invalid(tp.child("operator"), t.getValue(), "value must be empty when `operator` is 'Exists'");
    } else if (t.getOperator().equals("Equal") && t.getKey().isEmpty()) {
      errs.invalid(tp.child("operator"), t.getOperator(), "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
    }
    if (!t.getEffect().isEmpty() && !TAINT_EFFECTS.contains(t.getEffect())) {
      errs.notSupported(tp.child("effect"), t.getEffect(), TAINT_EFFECTS);
    }
    if (t.hasTolerationSeconds() && !t.getEffect().equals("NoExecute")) {
      errs.invalid(tp.child("effect"), t.getEffect(), "effect must be 'NoExecute' when `tolerationSeconds` is set");
    }
  }
}
