package io.minik8s.kubelet.cri;

import io.minik8s.cri.v1.ContainerConfig;
import io.minik8s.cri.v1.ContainerMetadata;
import io.minik8s.cri.v1.ContainerStatus;
import io.minik8s.cri.v1.Image;
import io.minik8s.cri.v1.ImageSpec;
import io.minik8s.cri.v1.KeyValue;
import io.minik8s.cri.v1.LinuxContainerConfig;
import io.minik8s.cri.v1.LinuxContainerResources;
import io.minik8s.cri.v1.LinuxPodSandboxConfig;
import io.minik8s.cri.v1.LinuxSandboxSecurityContext;
import io.minik8s.cri.v1.NamespaceMode;
import io.minik8s.cri.v1.NamespaceOption;
import io.minik8s.cri.v1.PodSandbox;
import io.minik8s.cri.v1.PodSandboxConfig;
import io.minik8s.cri.v1.PodSandboxMetadata;
import io.minik8s.cri.v1.PodSandboxStatus;
import io.minik8s.cri.v1.PortMapping;
import io.minik8s.cri.v1.Protocol;
import java.time.Instant;

/** Translates between the kubelet's records and CRI messages. Stateless. */
final class CriMessages {
  private CriMessages() {
  }

  static PodSandboxConfig sandboxConfig(SandboxSpec spec) {
    PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(spec.name()).setNamespace(spec.namespace())
            .setUid(spec.uid()).setAttempt(spec.attempt()))
        .setHostname(spec.hostname())
        .setLogDirectory(spec.logDirectory())
        .putAllLabels(spec.labels())
        .putAllAnnotations(spec.annotations());
    if (spec.dns() != null) {
      b.getDnsConfigBuilder().addAllServers(spec.dns().servers()).addAllSearches(spec.dns().searches())
          .addAllOptions(spec.dns().options());
    }
    for (SandboxSpec.Port p : spec.ports()) {
      b.addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.valueOf(p.protocol().name()))
          .setContainerPort(p.containerPort()).setHostPort(p.hostPort()).setHostIp(p.hostIp()));
    }
    // The kubelet gives each container its own PID namespace (the v1.PodSpec default) and shares
    // network and IPC across the pod; host network switches the network namespace to the node's.
    NamespaceOption namespaces = NamespaceOption.newBuilder()
        .setNetwork(spec.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD)
        .setPid(NamespaceMode.CONTAINER)
        .setIpc(NamespaceMode.POD)
        .build();
    b.setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent(spec.cgroupParent())
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces)));
    return b.build();
  }

  static ContainerConfig containerConfig(ContainerSpec spec, SandboxSpec sandbox) {
    ContainerConfig.Builder b = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
        .setImage(ImageSpec.newBuilder().setImage(spec.image()))
        .addAllCommand(spec.command())
        .addAllArgs(spec.args())
        .setWorkingDir(spec.workingDir())
        .putAllLabels(spec.labels())
        .putAllAnnotations(spec.annotations())
        .setLogPath(spec.logPath());
    for (ContainerSpec.EnvVar e : spec.env()) {
      b.addEnvs(KeyValue.newBuilder().setKey(e.name()).setValue(e.value()));
    }
    for (ContainerSpec.Mount m : spec.mounts()) {
      b.addMounts(io.minik8s.cri.v1.Mount.newBuilder().setContainerPath(m.containerPath())
          .setHostPath(m.hostPath()).setReadonly(m.readOnly()));
    }
    ContainerSpec.Resources r = spec.resources();
    LinuxContainerConfig.Builder linux = LinuxContainerConfig.newBuilder()
        .setResources(LinuxContainerResources.newBuilder().setCpuPeriod(r.cpuPeriod()).setCpuQuota(r.cpuQuota())
            .setCpuShares(r.cpuShares()).setMemoryLimitInBytes(r.memoryLimitBytes()));
    linux.getSecurityContextBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
        .setNetwork(sandbox.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD)
        .setPid(NamespaceMode.CONTAINER)
        .setIpc(NamespaceMode.POD));
    return b.setLinux(linux).build();
  }

  static SandboxInfo sandboxInfo(PodSandboxStatus s) {
    PodSandboxMetadata m = s.getMetadata();
    return new SandboxInfo(s.getId(), m.getName(), m.getNamespace(), m.getUid(), m.getAttempt(),
        sandboxState(s.getState()), instant(s.getCreatedAt()), s.getNetwork().getIp(), s.getLabelsMap(),
        s.getAnnotationsMap());
  }

  static SandboxSummary sandboxSummary(PodSandbox s) {
    PodSandboxMetadata m = s.getMetadata();
    return new SandboxSummary(s.getId(), m.getName(), m.getNamespace(), m.getUid(), m.getAttempt(),
        sandboxState(s.getState()), instant(s.getCreatedAt()), s.getLabelsMap(), s.getAnnotationsMap());
  }

  static ContainerInfo containerInfo(ContainerStatus s) {
    return new ContainerInfo(s.getId(), s.getMetadata().getName(), s.getMetadata().getAttempt(),
        s.getImage().getImage(), s.getImageRef(), containerState(s.getState()), instant(s.getCreatedAt()),
        instant(s.getStartedAt()), instant(s.getFinishedAt()), s.getExitCode(), s.getReason(), s.getMessage(),
        s.getLabelsMap(), s.getAnnotationsMap(), s.getLogPath());
  }

  static ContainerSummary containerSummary(io.minik8s.cri.v1.Container c) {
    return new ContainerSummary(c.getId(), c.getPodSandboxId(), c.getMetadata().getName(),
        c.getMetadata().getAttempt(), c.getImage().getImage(), c.getImageRef(), containerState(c.getState()),
        instant(c.getCreatedAt()), c.getLabelsMap(), c.getAnnotationsMap());
  }

  static ImageRef imageRef(Image i) {
    return new ImageRef(i.getId(), i.getRepoTagsList(), i.getRepoDigestsList(), i.getSize());
  }

  static io.minik8s.cri.v1.ContainerState containerState(ContainerState state) {
    return switch (state) {
      case CREATED -> io.minik8s.cri.v1.ContainerState.CONTAINER_CREATED;
      case RUNNING -> io.minik8s.cri.v1.ContainerState.CONTAINER_RUNNING;
      case EXITED -> io.minik8s.cri.v1.ContainerState.CONTAINER_EXITED;
      case UNKNOWN -> io.minik8s.cri.v1.ContainerState.CONTAINER_UNKNOWN;
    };
  }

  private static ContainerState containerState(io.minik8s.cri.v1.ContainerState state) {
    return switch (state) {
      case CONTAINER_CREATED -> ContainerState.CREATED;
      case CONTAINER_RUNNING -> ContainerState.RUNNING;
      case CONTAINER_EXITED -> ContainerState.EXITED;
      default -> ContainerState.UNKNOWN;
    };
  }

  private static SandboxState sandboxState(io.minik8s.cri.v1.PodSandboxState state) {
    return state == io.minik8s.cri.v1.PodSandboxState.SANDBOX_READY ? SandboxState.READY : SandboxState.NOT_READY;
  }

  /** CRI times are nanoseconds since the epoch; 0 means "not set". */
  private static Instant instant(long nanos) {
    return nanos == 0 ? null : Instant.ofEpochSecond(0, nanos);
  }
}
