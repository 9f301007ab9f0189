package io.minik8s.client.server;

import java.util.function.BooleanSupplier;

/**
 * One named readiness condition. Runs on a worker thread of the health server for each
 * {@code /readyz} request, so it should be quick (read a flag, not call the API server).
 */
@FunctionalInterface
public interface HealthCheck {
  /** Returns normally when healthy; throws with the reason otherwise. */
  void check() throws Exception;

  /** A check that fails with {@code reason} whenever {@code healthy} is false. */
  static HealthCheck of(BooleanSupplier healthy, String reason) {
    return () -> {
      if (!healthy.getAsBoolean()) {
        throw new IllegalStateException(reason);
      }
    };
  }
}
