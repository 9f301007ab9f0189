package io.minik8s.kubelet.runtime;

import io.minik8s.kubelet.cri.SandboxInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the container runtime has of one pod (by uid): its sandboxes and containers, read at one
 * moment. Immutable. Newest first: sandboxes by attempt then creation time, containers likewise.
 *
 * @param uid the pod's uid (the {@link PodLabels#POD_UID} label of everything here)
 */
public record RuntimePod(String uid, List<SandboxInfo> sandboxes, List<RuntimeContainer> containers) {
  /** Newest first: higher attempt, then later creation. */
  static final Comparator<SandboxInfo> SANDBOX_NEWEST_FIRST =
      Comparator.comparingInt(SandboxInfo::attempt).thenComparing(SandboxInfo::createdAt,
          Comparator.nullsFirst(Comparator.naturalOrder())).reversed();
  static final Comparator<RuntimeContainer> CONTAINER_NEWEST_FIRST =
      Comparator.comparingInt(RuntimeContainer::attempt).thenComparing(c -> c.status().createdAt(),
          Comparator.nullsFirst(Comparator.naturalOrder())).reversed();

  public RuntimePod {
    Objects.requireNonNull(uid, "uid");
    sandboxes = sandboxes.stream().sorted(SANDBOX_NEWEST_FIRST).toList();
    containers = containers.stream().sorted(CONTAINER_NEWEST_FIRST).toList();
  }

  public static RuntimePod empty(String uid) {
    return new RuntimePod(uid, List.of(), List.of());
  }

  /** Nothing of the pod is in the runtime. */
  public boolean isEmpty() {
    return sandboxes.isEmpty() && containers.isEmpty();
  }

  /** The newest sandbox, ready or not. */
  public Optional<SandboxInfo> latestSandbox() {
    return sandboxes.stream().findFirst();
  }

  /** The containers of that name in the pod spec, newest first, across all sandboxes. */
  public List<RuntimeContainer> containersNamed(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).toList();
  }

  /** The newest container of that name, if any. */
  public Optional<RuntimeContainer> latest(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<RuntimeContainer> containersIn(String sandboxId) {
    return containers.stream().filter(c -> c.sandboxId().equals(sandboxId)).toList();
  }

  public List<RuntimeContainer> running() {
    return containers.stream().filter(RuntimeContainer::running).toList();
  }
}
