package io.minik8s.kubelet.cri;

import java.util.Map;
import java.util.Objects;

/**
 * Which containers {@link ContainerRuntime#listContainers} returns; all given parts must match.
 *
 * @param sandboxId only containers of this sandbox; "" for any
 * @param state only containers in this state; {@code null} for any
 * @param labels only containers carrying all these labels
 */
public record ContainerFilter(String sandboxId, ContainerState state, Map<String, String> labels) {

  public ContainerFilter {
    sandboxId = Objects.requireNonNullElse(sandboxId, "");
    labels = Map.copyOf(labels);
  }

  public static ContainerFilter all() {
    return new ContainerFilter("", null, Map.of());
  }

  public static ContainerFilter inSandbox(String sandboxId) {
    return new ContainerFilter(sandboxId, null, Map.of());
  }

  public static ContainerFilter withLabels(Map<String, String> labels) {
    return new ContainerFilter("", null, labels);
  }

  public ContainerFilter inState(ContainerState state) {
    return new ContainerFilter(sandboxId, state, labels);
  }

  boolean matches(String containerSandboxId, ContainerState containerState, Map<String, String> containerLabels) {
    return (sandboxId.isEmpty() || sandboxId.equals(containerSandboxId))
        && (state == null || state == containerState)
        && containerLabels.entrySet().containsAll(labels.entrySet());
  }
}
