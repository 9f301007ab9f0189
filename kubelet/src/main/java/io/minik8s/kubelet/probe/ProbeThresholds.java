package io.minik8s.kubelet.probe;

import io.minik8s.api.Probe;
import java.util.Optional;

/**
 * Consecutive results of one probe against its thresholds: the verdict turns to success after
 * {@code successThreshold} successes in a row and to failure after {@code failureThreshold} failures
 * in a row (each at least 1); in between there is no new verdict. Not thread-safe: owned by one probe
 * worker, whose runs never overlap.
 */
final class ProbeThresholds {
  private final int successThreshold;
  private final int failureThreshold;
  private int successes;
  private int failures;

  ProbeThresholds(int successThreshold, int failureThreshold) {
    this.successThreshold = Math.max(1, successThreshold);
    this.failureThreshold = Math.max(1, failureThreshold);
  }

  static ProbeThresholds of(Probe probe) {
    return new ProbeThresholds(probe.getSuccessThreshold(), probe.getFailureThreshold());
  }

  /** Records one result; returns the verdict the run of results calls for, if it reached a threshold. */
  Optional<Boolean> record(boolean success) {
    if (success) {
      successes++;
      failures = 0;
      return successes >= successThreshold ? Optional.of(true) : Optional.empty();
    }
    failures++;
    successes = 0;
    return failures >= failureThreshold ? Optional.of(false) : Optional.empty();
  }
}
