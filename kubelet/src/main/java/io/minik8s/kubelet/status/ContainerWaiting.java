package io.minik8s.kubelet.status;

import java.util.Objects;

/**
 * Why a container is not running, as a pod sync found it: Kubernetes' waiting reasons such as
 * {@code ContainerCreating}, {@code CrashLoopBackOff}, {@code ErrImageNeverPull},
 * {@code ErrImagePull}, {@code ImagePullBackOff}, {@code CreateContainerError}, {@code RunContainerError}.
 */
public record ContainerWaiting(String reason, String message) {
  public static final String CONTAINER_CREATING = "ContainerCreating";
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
  public static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
  public static final String RUN_CONTAINER_ERROR = "RunContainerError";

  public ContainerWaiting {
    Objects.requireNonNull(reason, "reason");
    message = Objects.requireNonNullElse(message, "");
  }
}
