package io.minik8s.kubelet.probe;

import java.util.Optional;

/**
 * The latest outcome of each container's probes, by CRI container id: what pod status (started,
 * readiness) and pod sync (liveness and startup failures restart the container) read. Implementations are thread-safe.
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

    @Override
    public boolean started(String containerId) {
      return false;
    }

    @Override
    public boolean startupFailed(String containerId) {
      return false;
    }
  };

  /** The readiness probe's verdict on the container; empty until its first result. */
  Optional<Boolean> readiness(String containerId);

  /** Whether the container's liveness probe has failed {@code failureThreshold} times in a row. */
  boolean livenessFailed(String containerId);

  /**
   * Whether the container's startup probe has succeeded (it then never runs again for that container);
   * meaningful only for containers that have one.
   */
  boolean started(String containerId);

  /** Whether the container's startup probe has failed {@code failureThreshold} times in a row. */
  boolean startupFailed(String containerId);
}
