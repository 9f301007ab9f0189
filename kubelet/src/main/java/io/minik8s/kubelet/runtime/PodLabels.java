package io.minik8s.kubelet.runtime;

/**
 * The labels and annotations the kubelet puts on CRI sandboxes and containers, Kubernetes' own keys, so
 * that tools that know Kubernetes' ({@code crictl pods --label io.kubernetes.pod.name=web}) work, and so
 * that a restarted kubelet finds its pods again from the runtime alone.
 */
public final class PodLabels {
  /** Sandbox and container label: the pod's uid. Everything the kubelet owns carries it. */
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  /** Container label: the container's name in the pod spec. */
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";

  /** Container annotation: hash of the container's spec; a different hash means "recreate it". */
  public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
  /** Container annotation: the restart count the container was created with. */
  public static final String CONTAINER_RESTART_COUNT = "io.kubernetes.container.restartCount";
  /** Container annotation: grace period to stop it with when its pod is gone from the API. */
  public static final String POD_TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";

  private PodLabels() {}
}
