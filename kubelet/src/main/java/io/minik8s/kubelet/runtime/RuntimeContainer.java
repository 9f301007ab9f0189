package io.minik8s.kubelet.runtime;

import io.minik8s.kubelet.cri.ContainerInfo;
import io.minik8s.kubelet.cri.ContainerState;
import java.util.Objects;

/**
 * One CRI container of a pod: its status and the sandbox it is in.
 *
 * @param sandboxId the sandbox the container belongs to
 * @param status the runtime's status of it
 */
public record RuntimeContainer(String sandboxId, ContainerInfo status) {
  public RuntimeContainer {
    Objects.requireNonNull(sandboxId, "sandboxId");
    Objects.requireNonNull(status, "status");
  }

  public String id() {
    return status.id();
  }

  /** The pod spec's name for it (the CRI metadata name, which the kubelet sets to it). */
  public String name() {
    return status.name();
  }

  /** The restart count it was created with. */
  public int attempt() {
    return status.attempt();
  }

  public ContainerState state() {
    return status.state();
  }

  public boolean running() {
    return status.running();
  }

  public boolean exited() {
    return status.exited();
  }

  public String annotation(String key) {
    return status.annotations().getOrDefault(key, "");
  }
}
