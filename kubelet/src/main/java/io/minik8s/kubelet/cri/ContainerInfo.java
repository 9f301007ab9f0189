package io.minik8s.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/**
 * A container's status as the runtime reports it ({@code ContainerStatus}).
 *
 * @param imageRef the image the container runs, as the runtime's id (digest)
 * @param startedAt {@code null} until it started
 * @param finishedAt {@code null} until it exited
 * @param exitCode meaningful once {@code state} is EXITED
 * @param reason CamelCase reason for the state, e.g. "Completed", "Error", "OOMKilled" ("" if none)
 */
public record ContainerInfo(String id, String name, int attempt, String image, String imageRef,
                            ContainerState state, Instant createdAt, Instant startedAt, Instant finishedAt,
                            int exitCode, String reason, String message, Map<String, String> labels,
                            Map<String, String> annotations, String logPath) {

  public ContainerInfo {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public boolean running() {
    return state == ContainerState.RUNNING;
  }

  public boolean exited() {
    return state == ContainerState.EXITED;
  }
}
