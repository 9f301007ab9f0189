package io.minik8s.kubelet.restart;

import java.util.Locale;

/** A pod's {@code spec.restartPolicy}: which ended containers are started again. */
public enum RestartPolicy {
  ALWAYS,
  ON_FAILURE,
  NEVER;

  /** Parses Kubernetes' spelling ({@code Always}, {@code OnFailure}, {@code Never}); empty means Always. */
  public static RestartPolicy of(String value) {
    if (value == null || value.isEmpty()) {
      return ALWAYS;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "always" -> ALWAYS;
      case "onfailure" -> ON_FAILURE;
      case "never" -> NEVER;
      default -> throw new IllegalArgumentException("unknown restartPolicy " + value);
    };
  }

  /** Whether a container that exited with {@code exitCode} is started again. */
  public boolean restarts(int exitCode) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }
}
