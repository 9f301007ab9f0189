package io.minik8s.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/**
 * A container as listed ({@code ListContainers}): no times beyond creation and no exit code; ask
 * {@link ContainerRuntime#containerStatus} for those.
 */
public record ContainerSummary(String id, String sandboxId, String name, int attempt, String image,
                               String imageRef, ContainerState state, Instant createdAt,
                               Map<String, String> labels, Map<String, String> annotations) {

  public ContainerSummary {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
