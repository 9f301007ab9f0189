/**
 * When an ended container is started again: {@link io.minik8s.kubelet.restart.RestartPolicy} (the
 * pod's restartPolicy: whether) and {@link io.minik8s.kubelet.restart.RestartBackoff} (Kubernetes'
 * crash-loop back-off: when; also used for image pulls). Pure logic over an injected clock.
 */
package io.minik8s.kubelet.restart;
