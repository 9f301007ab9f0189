package io.minik8s.apiserver.registry.pods;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ResourceRequirements;

/** Kubernetes' defaults for a pod spec, shared by pods and the pod templates of workloads. */
public final class PodSpecDefaults {
  private PodSpecDefaults() {}

  public static PodSpec apply(PodSpec spec) {
    PodSpec.Builder b = spec.toBuilder();
    if (b.getRestartPolicy().isEmpty()) {
      b.setRestartPolicy("Always");
    }
    if (!b.hasTerminationGracePeriodSeconds()) {
      b.setTerminationGracePeriodSeconds(30);
    }
    if (b.getDnsPolicy().isEmpty()) {
      b.setDnsPolicy("ClusterFirst");
    }
    if (b.getSchedulerName().isEmpty()) {
      b.setSchedulerName("default-scheduler");
    }
    if (!b.hasEnableServiceLinks()) {
      b.setEnableServiceLinks(true);
    }
    for (int i = 0; i < b.getContainersCount(); i++) {
      b.setContainers(i, container(b.getContainers(i)));
    }
    for (int i = 0; i < b.getTolerationsCount(); i++) {
      if (b.getTolerations(i).getOperator().isEmpty()) {
        b.setTolerations(i, b.getTolerations(i).toBuilder().setOperator("Equal"));
      }
    }
    return b.build();
  }

  private static Container container(Container c) {
    Container.Builder b = c.toBuilder();
    if (b.getImagePullPolicy().isEmpty()) {
      b.setImagePullPolicy(pullPolicyFor(b.getImage()));
    }
    if (b.getTerminationMessagePath().isEmpty()) {
      b.setTerminationMessagePath("/dev/termination-log");
    }
    if (b.getTerminationMessagePolicy().isEmpty()) {
      b.setTerminationMessagePolicy("File");
    }
    for (int i = 0; i < b.getPortsCount(); i++) {
      ContainerPort p = b.getPorts(i);
      if (p.getProtocol().isEmpty()) {
        b.setPorts(i, p.toBuilder().setProtocol("TCP"));
      }
    }
    if (b.hasResources()) {
      // Kubernetes: a limit without a request means a request equal to the limit.
      ResourceRequirements r = b.getResources();
      ResourceRequirements.Builder rb = r.toBuilder();
      r.getLimitsMap().forEach((name, value) -> {
        if (!r.containsRequests(name)) {
          rb.putRequests(name, value);
        }
      });
      b.setResources(rb);
    }
    if (b.hasLivenessProbe()) {
      b.setLivenessProbe(probe(b.getLivenessProbe()));
    }
    if (b.hasReadinessProbe()) {
      b.setReadinessProbe(probe(b.getReadinessProbe()));
    }
    if (b.hasStartupProbe()) {
      b.setStartupProbe(probe(b.getStartupProbe()));
    }
    return b.build();
  }

  /** {@code Always} for {@code :latest} or an untagged image, else {@code IfNotPresent}. */
  static String pullPolicyFor(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    if (!tagged || image.substring(colon + 1).equals("latest")) {
      return "Always";
    }
    return "IfNotPresent";
  }

  private static Probe probe(Probe p) {
    Probe.Builder b = p.toBuilder();
    if (b.getTimeoutSeconds() == 0) {
      b.setTimeoutSeconds(1);
    }
    if (b.getPeriodSeconds() == 0) {
      b.setPeriodSeconds(10);
    }
    if (b.getSuccessThreshold() == 0) {
      b.setSuccessThreshold(1);
    }
    if (b.getFailureThreshold() == 0) {
      b.setFailureThreshold(3);
    }
    if (b.hasHttpGet()) {
      HTTPGetAction.Builder h = b.getHttpGet().toBuilder();
      if (h.getScheme().isEmpty()) {
        h.setScheme("HTTP");
      }
      if (h.getPath().isEmpty()) {
        h.setPath("/");
      }
      b.setHttpGet(h);
    }
    return b.build();
  }
}
