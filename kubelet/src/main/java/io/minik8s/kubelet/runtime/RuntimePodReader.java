package io.minik8s.kubelet.runtime;

import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.ContainerSummary;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.cri.SandboxSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link RuntimePod} from the runtime: the sandboxes and containers labelled with the pod's
 * uid, each with its full status (IP, exit code, times). Thread-safe as the runtime is; one list call
 * per kind plus one status call per object. Objects removed between the list and the status call are
 * left out.
 */
public final class RuntimePodReader {
  private final ContainerRuntime runtime;

  public RuntimePodReader(ContainerRuntime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  public RuntimePod read(String uid) {
    Map<String, String> byUid = Map.of(PodLabels.POD_UID, uid);
    List<SandboxInfo> sandboxes = new ArrayList<>();
    for (SandboxSummary s : runtime.listSandboxes(byUid)) {
      runtime.sandboxStatus(s.id()).ifPresent(sandboxes::add);
    }
    List<RuntimeContainer> containers = new ArrayList<>();
    for (ContainerSummary c : runtime.listContainers(ContainerFilter.withLabels(byUid))) {
      runtime.containerStatus(c.id()).ifPresent(info -> containers.add(new RuntimeContainer(c.sandboxId(), info)));
    }
    return new RuntimePod(uid, sandboxes, containers);
  }
}
