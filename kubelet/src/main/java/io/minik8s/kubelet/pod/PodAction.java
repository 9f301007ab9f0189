package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import java.util.Objects;

/**
 * One step of a pod sync, as {@link PodSync} plans it and {@link PodWorker} carries it out against the
 * container runtime (and, for {@link ConfirmDeletion}, the API server). Immutable values, so plans can
 * be compared in tests.
 */
public sealed interface PodAction {

  /** Run a new sandbox; the containers started after it in the same plan go into it. */
  record CreateSandbox(int attempt) implements PodAction {}

  /**
   * Make sure the image is there (per imagePullPolicy), create the container and start it.
   *
   * @param attempt its restart count
   * @param restart whether it replaces an ended container (counts against the crash-loop back-off)
   */
  record StartContainer(Container container, int attempt, boolean restart) implements PodAction {
    public StartContainer {
      Objects.requireNonNull(container, "container");
    }

    public String name() {
      return container.getName();
    }
  }

  /** Stop a container: SIGTERM, then SIGKILL after the grace period. {@code reason} goes in the event. */
  record KillContainer(String containerId, String name, long gracePeriodSeconds, String reason)
      implements PodAction {}

  /** Remove an ended container (an old attempt, or one created but never started). */
  record RemoveContainer(String containerId, String name) implements PodAction {}

  /** Stop a sandbox: its containers are killed and its IP released. */
  record StopSandbox(String sandboxId) implements PodAction {}

  /** Remove a stopped sandbox and everything in it. */
  record RemoveSandbox(String sandboxId) implements PodAction {}

  /** Tell the API server the pod's containers are gone (delete with grace 0): the pod object goes. */
  record ConfirmDeletion() implements PodAction {}
}
