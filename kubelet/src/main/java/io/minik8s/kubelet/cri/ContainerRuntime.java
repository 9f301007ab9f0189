package io.minik8s.kubelet.cri;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's container runtime, as the kubelet uses it. It mirrors the CRI calls one to one, so every
 * method is one round trip and nothing is cached here.
 *
 * <p>Implementations are thread-safe. Every method throws {@link CriException} when the runtime
 * fails or cannot be reached; "not found" is an empty result for status calls and no error for
 * stop/remove calls, which are idempotent (as the CRI defines them).
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Name and version of the runtime and of the CRI it speaks. */
  RuntimeVersion version();

  /** Whether the runtime and its pod network are ready (the node's Ready condition depends on both). */
  RuntimeHealth health();

  /** Creates and starts a pod sandbox (network namespace, IP from CNI); returns its id. */
  String runSandbox(SandboxSpec spec);

  /** Stops the sandbox and every container in it and releases its IP. Idempotent. */
  void stopSandbox(String sandboxId);

  /** Removes the sandbox and its containers. Idempotent. */
  void removeSandbox(String sandboxId);

  /** The sandbox as the runtime sees it now, or empty if the runtime does not know it. */
  Optional<SandboxInfo> sandboxStatus(String sandboxId);

  /** Sandboxes carrying all the given labels (an empty map lists all). */
  List<SandboxSummary> listSandboxes(Map<String, String> labels);

  /** The image if it is present on the node, without pulling. */
  Optional<ImageRef> imageStatus(String image);

  default boolean imagePresent(String image) {
    return imageStatus(image).isPresent();
  }

  /** Pulls the image from its registry; returns the runtime's reference to it (an image id). */
  String pullImage(String image);

  List<ImageRef> listImages();

  /** Removes the image. Idempotent. */
  void removeImage(String image);

  /**
   * Creates (does not start) a container in a sandbox. The image must be present: the runtime does
   * not pull it. {@code sandbox} is the spec the sandbox was run with (the CRI wants it again).
   */
  String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox);

  void startContainer(String containerId);

  /**
   * Stops a running container: SIGTERM, then SIGKILL after {@code timeoutSeconds} (0: at once).
   * Returns when it has stopped. Idempotent; a container the runtime does not know is no error.
   */
  void stopContainer(String containerId, long timeoutSeconds);

  /** Removes a container (killing it if it still runs). Idempotent. */
  void removeContainer(String containerId);

  /** The container's state, times and exit code now, or empty if the runtime does not know it. */
  Optional<ContainerInfo> containerStatus(String containerId);

  List<ContainerSummary> listContainers(ContainerFilter filter);

  /**
   * Runs a command in a running container and waits for it (at most {@code timeout}, after which the
   * command is killed and the call fails).
   */
  ExecResult execSync(String containerId, List<String> command, Duration timeout);

  /** Releases the connection; the runtime and its containers keep running. */
  @Override
  void close();
}
