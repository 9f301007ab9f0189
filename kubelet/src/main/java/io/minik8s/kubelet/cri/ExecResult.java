package io.minik8s.kubelet.cri;

/** What a command run by {@link ContainerRuntime#execSync} did; output decoded as UTF-8. */
public record ExecResult(int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }
}
