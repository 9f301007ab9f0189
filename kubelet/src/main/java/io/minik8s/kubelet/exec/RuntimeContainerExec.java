package io.minik8s.kubelet.exec;

import io.minik8s.kubelet.cri.ContainerFilter;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.ContainerState;
import io.minik8s.kubelet.cri.ContainerSummary;
import io.minik8s.kubelet.cri.CriException;
import io.minik8s.kubelet.cri.ExecResult;
import io.minik8s.kubelet.runtime.PodLabels;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the container through the runtime alone, by the labels the kubelet puts on containers (the newest pod
 * of that name, its newest attempt of that container), and runs the command with CRI {@code ExecSync}. Holds no
 * state: thread-safe as the runtime is.
 */
public final class RuntimeContainerExec implements ContainerExec {
  private final ContainerRuntime runtime;

  public RuntimeContainerExec(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public ExecResult run(String namespace, String pod, String container, List<String> command, Duration timeout) {
    ContainerSummary target = newest(namespace, pod, container);
    if (target.state() != ContainerState.RUNNING) {
      throw ExecException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not running");
    }
    try {
      return runtime.execSync(target.id(), command, timeout);
    } catch (CriException e) {
      if (e.isNotFound()) {
        throw ExecException.notFound("container \"" + container + "\" in pod \"" + pod + "\" in namespace \""
            + namespace + "\" not found");
      }
      throw ExecException.runtimeFailed(e.getMessage(), e);
    }
  }

  private ContainerSummary newest(String namespace, String pod, String container) {
    List<ContainerSummary> named;
    try {
      named = runtime.listContainers(ContainerFilter.withLabels(Map.of(PodLabels.POD_NAMESPACE, namespace,
          PodLabels.POD_NAME, pod, PodLabels.CONTAINER_NAME, container)));
    } catch (CriException e) {
      throw ExecException.runtimeFailed(e.getMessage(), e);
    }
    // A re-created pod has a new uid: the newest container names the pod; then its highest attempt.
    ContainerSummary newest = named.stream()
        .max(Comparator.comparing(ContainerSummary::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
        .orElseThrow(() -> ExecException.notFound("container \"" + container + "\" in pod \"" + pod
            + "\" in namespace \"" + namespace + "\" not found on this node"));
    String uid = newest.labels().get(PodLabels.POD_UID);
    return named.stream().filter(c -> uid == null || uid.equals(c.labels().get(PodLabels.POD_UID)))
        .max(Comparator.comparingInt(ContainerSummary::attempt)).orElse(newest);
  }
}
