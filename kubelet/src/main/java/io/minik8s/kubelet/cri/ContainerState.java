package io.minik8s.kubelet.cri;

/** The CRI's container life cycle: created, running, exited; UNKNOWN when the runtime cannot tell. */
public enum ContainerState {
  CREATED,
  RUNNING,
  EXITED,
  UNKNOWN
}
