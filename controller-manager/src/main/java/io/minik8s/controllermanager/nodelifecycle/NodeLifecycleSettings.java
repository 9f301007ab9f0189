package io.minik8s.controllermanager.nodelifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * The node lifecycle controller's timing, from the controller-manager's flags.
 *
 * @param gracePeriod how long a node's heartbeat may stand still before the node is Unknown
 *     ({@code --node-monitor-grace-period}, Kubernetes' default 40 s)
 * @param podEvictionTimeout how long pods stay on an unreachable node before they are deleted, for pods
 *     without a toleration of the unreachable taint ({@code --pod-eviction-timeout}, default 300 s)
 */
public record NodeLifecycleSettings(Duration gracePeriod, Duration podEvictionTimeout) {
  public static final NodeLifecycleSettings DEFAULTS =
      new NodeLifecycleSettings(Duration.ofSeconds(40), Duration.ofSeconds(300));

  public NodeLifecycleSettings {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(podEvictionTimeout, "podEvictionTimeout");
    if (gracePeriod.isNegative() || gracePeriod.isZero()) {
      throw new IllegalArgumentException("--node-monitor-grace-period must be positive, got " + gracePeriod);
    }
    if (podEvictionTimeout.isNegative()) {
      throw new IllegalArgumentException("--pod-eviction-timeout must not be negative, got " + podEvictionTimeout);
    }
  }
}
