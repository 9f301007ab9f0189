package io.minik8s.kubelet.probe;

import io.minik8s.api.Container;
import io.minik8s.api.Probe;
import java.util.ArrayList;
import java.util.List;

/** The three probes a container may have, and which of them run when. */
public enum ProbeKind {
  STARTUP,
  READINESS,
  LIVENESS;

  /** This kind's probe in {@code c}'s spec (the default instance when it has none). */
  Probe probeOf(Container c) {
    return switch (this) {
      case STARTUP -> c.getStartupProbe();
      case READINESS -> c.getReadinessProbe();
      case LIVENESS -> c.getLivenessProbe();
    };
  }

  boolean isSetIn(Container c) {
    return switch (this) {
      case STARTUP -> c.hasStartupProbe();
      case READINESS -> c.hasReadinessProbe();
      case LIVENESS -> c.hasLivenessProbe();
    };
  }

  /**
   * The probes to run now for a running container, as Kubernetes gates them: while it has a startup
   * probe that has not succeeded, that one only; afterwards (or without one) its readiness and
   * liveness probes, and never the startup probe again.
   */
  public static List<ProbeKind> active(Container c, boolean startupSucceeded) {
    if (c.hasStartupProbe() && !startupSucceeded) {
      return List.of(STARTUP);
    }
    List<ProbeKind> kinds = new ArrayList<>(2);
    for (ProbeKind k : List.of(READINESS, LIVENESS)) {
      if (k.isSetIn(c)) {
        kinds.add(k);
      }
    }
    return kinds;
  }
}
