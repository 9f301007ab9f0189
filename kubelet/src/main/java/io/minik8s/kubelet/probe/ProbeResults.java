package io.minik8s.kubelet.probe;

import java.util.Optional;

/**
 * The latest outcome of each container's probes, by CRI container id: what pod status (readiness) and
 * pod sync (liveness) read. Implementations are thread-safe.
 */
public interface ProbeResults {
  /** Nothing is probed: no readiness results, no liveness failures. */
  ProbeResults NONE = new ProbeResults() {
    @Override
    public Optional<Boolean> readiness(String containerId) {
      return Optional.empty();
    }

    @Override
    public boolean livenessFailed(String containerId) {
      return false;
    }
  };

  /** The readiness probe's verdict on the container; empty until its first result. */
  Optional<Boolean> readiness(String containerId);

  /** Whether the container's liveness probe has failed {@code failureThreshold} times in a row. */
  boolean livenessFailed(String containerId);
}
