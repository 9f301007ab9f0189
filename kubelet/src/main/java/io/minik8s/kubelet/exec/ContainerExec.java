package io.minik8s.kubelet.exec;

import io.minik8s.kubelet.cri.ExecResult;
import java.time.Duration;
import java.util.List;

/** Runs a command to its end in a pod's container. Thread-safe. */
public interface ContainerExec {

  /**
   * Runs {@code command} in the running container {@code container} of the newest pod
   * {@code namespace/pod} and waits for it, at most {@code timeout}.
   *
   * @throws ExecException when there is no such container, it does not run, or the runtime fails
   */
  ExecResult run(String namespace, String pod, String container, List<String> command, Duration timeout);
}
