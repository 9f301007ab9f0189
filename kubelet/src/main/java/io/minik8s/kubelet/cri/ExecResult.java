package io.minik8s.kubelet.cri;

import com.google.protobuf.ByteString;

/**
 * What a command run by {@link ContainerRuntime#execSync} did. The output is kept as the bytes the runtime
 * returned (a command may print anything, {@code kubectl exec} passes it on unchanged); {@link #stdout()} and
 * {@link #stderr()} decode it as UTF-8 for readers of text, such as probes.
 */
public record ExecResult(int exitCode, ByteString stdoutBytes, ByteString stderrBytes) {

  /** A result with text output (tests, fakes). */
  public ExecResult(int exitCode, String stdout, String stderr) {
    this(exitCode, ByteString.copyFromUtf8(stdout), ByteString.copyFromUtf8(stderr));
  }

  public String stdout() {
    return stdoutBytes.toStringUtf8();
  }

  public String stderr() {
    return stderrBytes.toStringUtf8();
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
