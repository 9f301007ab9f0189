package io.minik8s.kubelet.probe;

import io.minik8s.api.Pod;
import io.minik8s.kubelet.runtime.RuntimePod;
import java.util.Optional;

/** Probe results plus what a pod worker tells the prober after each sync. Thread-safe. */
public interface PodProbes extends ProbeResults {
  /** No probes run: every container without a verdict. */
  PodProbes NONE = new PodProbes() {
    @Override
    public Optional<Boolean> readiness(String containerId) {
      return Optional.empty();
    }

    @Override
    public boolean livenessFailed(String containerId) {
      return false;
    }

    @Override
    public boolean started(String containerId) {
      return false;
    }

    @Override
    public boolean startupFailed(String containerId) {
      return false;
    }

    @Override
    public void sync(Pod pod, RuntimePod actual) {
    }

    @Override
    public void forget(String podUid) {
    }
  };

  /** Probe the pod's running containers that have probes; stop probing the others. */
  void sync(Pod pod, RuntimePod actual);

  /** The pod is gone: stop probing it. */
  void forget(String podUid);
}
