package io.minik8s.kubelet.cri;

import java.time.Instant;
import java.util.Map;

/**
 * A sandbox's status as the runtime reports it ({@code PodSandboxStatus}).
 *
 * @param ip the pod IP; "" when the runtime gave none (host network, or the sandbox is stopped)
 */
public record SandboxInfo(String id, String name, String namespace, String uid, int attempt,
                          SandboxState state, Instant createdAt, String ip, Map<String, String> labels,
                          Map<String, String> annotations) {

  public SandboxInfo {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public boolean ready() {
    return state == SandboxState.READY;
  }
}
