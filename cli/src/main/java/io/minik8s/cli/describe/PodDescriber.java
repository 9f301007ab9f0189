package io.minik8s.cli.describe;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodIP;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.time.Instant;

/** Pods: node, start time, status, IPs, each container with its state, conditions, then events. */
final class PodDescriber implements Describer<Pod> {
  @Override
  public void describe(Pod pod, DescribeWriter w, DescribeContext context) {
    w.line(0, "Name:", pod.getMetadata().getName());
    w.line(0, "Namespace:", pod.getMetadata().getNamespace());
    if (pod.getSpec().hasPriority()) {
      w.line(0, "Priority:", Integer.toString(pod.getSpec().getPriority()));
    }
    String node = pod.getSpec().getNodeName();
    w.line(0, "Node:", node.isEmpty() ? "<none>"
        : pod.getStatus().getHostIp().isEmpty() ? node : node + "/" + pod.getStatus().getHostIp());
    if (pod.getStatus().hasStartTime()) {
      w.line(0, "Start Time:", context.time(pod.getStatus().getStartTime()));
    }
    Sections.labels(w, 0, "Labels", pod.getMetadata().getLabelsMap());
    Sections.annotations(w, 0, pod.getMetadata().getAnnotationsMap());
    w.line(0, "CreationTimestamp:", context.time(pod.getMetadata().getCreationTimestamp()));
    if (pod.getMetadata().hasDeletionTimestamp()) {
      Instant deletion = Instant.ofEpochSecond(pod.getMetadata().getDeletionTimestamp().getSeconds());
      w.line(0, "Status:", "Terminating (lasts " + io.minik8s.client.printers.HumanDuration.format(
          Duration.between(deletion, context.now()).abs()) + ")");
      w.line(0, "Termination Grace Period:", pod.getMetadata().getDeletionGracePeriodSeconds() + "s");
    } else {
      w.line(0, "Status:", pod.getStatus().getPhase().isEmpty() ? "Pending" : pod.getStatus().getPhase());
    }
    if (!pod.getStatus().getReason().isEmpty()) {
      w.line(0, "Reason:", pod.getStatus().getReason());
    }
    if (!pod.getStatus().getMessage().isEmpty()) {
      w.line(0, "Message:", pod.getStatus().getMessage());
    }
    w.line(0, "IP:", pod.getStatus().getPodIp());
    if (pod.getStatus().getPodIpsCount() > 0) {
      w.line(0, "IPs:");
      for (PodIP ip : pod.getStatus().getPodIpsList()) {
        w.line(1, "IP:", ip.getIp());
      }
    } else if (!pod.getStatus().getPodIp().isEmpty()) {
      w.line(0, "IPs:");
      w.line(1, "IP:", pod.getStatus().getPodIp());
    } else {
      w.line(0, "IPs:", "<none>");
    }
    Sections.controlledBy(w, pod.getMetadata());
    w.line(0, "Containers:");
    for (Container container : pod.getSpec().getContainersList()) {
      ContainerStatus status = statusOf(pod, container.getName());
      w.line(1, container.getName() + ":");
      if (status != null && !status.getContainerId().isEmpty()) {
        w.line(2, "Container ID:", status.getContainerId());
      }
      Sections.containerSpec(w, container, 2, status == null ? null : status.getImageId());
      state(w, "State", status == null ? ContainerState.getDefaultInstance() : status.getState(), context);
      if (status != null && (status.getLastState().hasTerminated() || status.getLastState().hasWaiting()
          || status.getLastState().hasRunning())) {
        state(w, "Last State", status.getLastState(), context);
      }
      w.line(2, "Ready:", status != null && status.getReady() ? "True" : "False");
      w.line(2, "Restart Count:", Integer.toString(status == null ? 0 : status.getRestartCount()));
      Sections.containerResourcesAndEnv(w, container, 2);
    }
    if (pod.getStatus().getConditionsCount() > 0) {
      w.line(0, "Conditions:");
      w.line(1, "Type", "Status");
      for (PodCondition condition : pod.getStatus().getConditionsList()) {
        w.line(1, condition.getType(), condition.getStatus());
      }
    }
    if (!pod.getStatus().getQosClass().isEmpty()) {
      w.line(0, "QoS Class:", pod.getStatus().getQosClass());
    }
    Sections.nodeSelectors(w, 0, pod.getSpec().getNodeSelectorMap());
    Sections.tolerations(w, 0, pod.getSpec().getTolerationsList());
    Sections.events(w, Kinds.POD, pod.getMetadata(), context);
  }

  private static ContainerStatus statusOf(Pod pod, String name) {
    for (ContainerStatus status : pod.getStatus().getContainerStatusesList()) {
      if (status.getName().equals(name)) {
        return status;
      }
    }
    return null;
  }

  private static void state(DescribeWriter w, String title, ContainerState state, DescribeContext context) {
    if (state.hasRunning()) {
      w.line(2, title + ":", "Running");
      w.line(3, "Started:", context.time(state.getRunning().getStartedAt()));
    } else if (state.hasTerminated()) {
      w.line(2, title + ":", "Terminated");
      if (!state.getTerminated().getReason().isEmpty()) {
        w.line(3, "Reason:", state.getTerminated().getReason());
      }
      if (!state.getTerminated().getMessage().isEmpty()) {
        w.line(3, "Message:", state.getTerminated().getMessage());
      }
      w.line(3, "Exit Code:", Integer.toString(state.getTerminated().getExitCode()));
      if (state.getTerminated().getSignal() > 0) {
        w.line(3, "Signal:", Integer.toString(state.getTerminated().getSignal()));
      }
      w.line(3, "Started:", context.time(state.getTerminated().getStartedAt()));
      w.line(3, "Finished:", context.time(state.getTerminated().getFinishedAt()));
    } else {
      w.line(2, title + ":", "Waiting");
      if (state.hasWaiting() && !state.getWaiting().getReason().isEmpty()) {
        w.line(3, "Reason:", state.getWaiting().getReason());
      }
      if (state.hasWaiting() && !state.getWaiting().getMessage().isEmpty()) {
        w.line(3, "Message:", state.getWaiting().getMessage());
      }
    }
  }
}
