package io.minik8s.apiserver.registry.pods;

import io.minik8s.api.Container;
import io.minik8s.api.PodSpec;
import java.util.List;

/** Kubernetes' quality-of-service class of a pod, from its containers' cpu and memory requests and limits. */
final class QosClass {
  private static final List<String> COMPUTE = List.of("cpu", "memory");

  private QosClass() {}

  static String of(PodSpec spec) {
    boolean anySet = false;
    boolean guaranteed = true;
    for (Container c : spec.getContainersList()) {
      for (String r : COMPUTE) {
        String req = c.getResources().getRequestsMap().get(r);
        String lim = c.getResources().getLimitsMap().get(r);
        if (req != null || lim != null) {
          anySet = true;
        }
        if (lim == null || (req != null && !req.equals(lim))) {
          guaranteed = false;
        }
      }
    }
    if (!anySet) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
