package io.minik8s.kubelet.logs;

import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.ContainerInfo;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.ContainerSummary;
import io.minik8s.kubelet.cri.CriException;
import io.minik8s.kubelet.runtime.PodLabels;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds container logs through the runtime alone, by the labels the kubelet puts on containers, so
 * logs of a pod are found even when the API no longer has it. The runtime reports each container's
 * log path (the sandbox's log directory joined with the container's).
 */
public final class RuntimeContainerLogs implements ContainerLogs {
  private final ContainerRuntime runtime;

  public RuntimeContainerLogs(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Optional<Location> find(String namespace, String pod, String container, boolean previous) {
    List<ContainerSummary> named = runtime.listContainers(ContainerFilter.withLabels(Map.of(
            PodLabels.POD_NAMESPACE, namespace, PodLabels.POD_NAME, pod, PodLabels.CONTAINER_NAME, container)))
        .stream()
        .sorted(Comparator.comparing(ContainerSummary::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .reversed())
        .toList();
    if (named.isEmpty()) {
      return Optional.empty();
    }
    // The newest pod of that name (a re-created pod has a new uid); then its containers newest first.
    String uid = named.get(0).labels().get(PodLabels.POD_UID);
    List<ContainerSummary> ofPod = named.stream().filter(c -> uid.equals(c.labels().get(PodLabels.POD_UID)))
        .sorted(Comparator.comparingInt(ContainerSummary::attempt).reversed()).toList();
    int index = previous ? 1 : 0;
    if (ofPod.size() <= index) {
      return Optional.empty();
    }
    ContainerSummary c = ofPod.get(index);
    return runtime.containerStatus(c.id()).map(ContainerInfo::logPath).filter(p -> !p.isEmpty())
        .map(p -> new Location(c.id(), Path.of(p)));
  }

  @Override
  public boolean running(String containerId) {
    try {
      return runtime.containerStatus(containerId).map(ContainerInfo::running).orElse(false);
    } catch (CriException e) {
      return true; // the runtime did not answer: keep following rather than cut the stream
    }
  }
}
