package io.minik8s.controllermanager.nodelifecycle;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this controller last saw each node's heartbeat move, by its own clock. Thread-safe.
 *
 * <p>As Kubernetes does, the heartbeat's age is measured from the moment a change of the Lease's
 * renewTime or of the Ready condition's lastHeartbeatTime was observed, never from those timestamps
 * themselves: a kubelet's clock may differ from ours. A node seen for the first time (after a start or
 * a leader change) gets a full grace period from that moment.
 */
final class NodeHealth {
  /**
   * @param probedAt when the heartbeat was last seen to change (or first seen)
   * @param seenMoving whether it has changed at least once while observed: only then does a heartbeat
   *     prove the kubelet is back, rather than being an old value first seen after a restart
   */
  record Probe(Instant probedAt, boolean seenMoving) {}

  private record Observation(Timestamp leaseRenew, Timestamp readyHeartbeat, Probe probe) {}

  private final ConcurrentHashMap<String, Observation> nodes = new ConcurrentHashMap<>();

  /** Records the current heartbeat values (null when absent) and returns when they last changed. */
  Probe observe(String node, Timestamp leaseRenew, Timestamp readyHeartbeat, Instant now) {
    Observation o = nodes.compute(node, (k, old) -> {
      if (old == null) {
        return new Observation(leaseRenew, readyHeartbeat, new Probe(now, false));
      }
      if (Objects.equals(old.leaseRenew, leaseRenew) && Objects.equals(old.readyHeartbeat, readyHeartbeat)) {
        return old;
      }
      return new Observation(leaseRenew, readyHeartbeat, new Probe(now, true));
    });
    return o.probe;
  }

  void forget(String node) {
    nodes.remove(node);
  }
}
