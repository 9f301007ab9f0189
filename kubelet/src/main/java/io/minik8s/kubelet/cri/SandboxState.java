package io.minik8s.kubelet.cri;

/** A sandbox is READY while its namespaces and network exist; NOT_READY once stopped (or broken). */
public enum SandboxState {
  READY,
  NOT_READY
}
