package io.minik8s.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/** A sandbox as listed ({@code ListPodSandbox}): no IP; ask {@link ContainerRuntime#sandboxStatus}. */
public record SandboxSummary(String id, String name, String namespace, String uid, int attempt,
                             SandboxState state, Instant createdAt, Map<String, String> labels,
                             Map<String, String> annotations) {

  public SandboxSummary {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public boolean ready() {
    return state == SandboxState.READY;
  }
}
