package io.minik8s.kubelet.cri;

/**
 * A CRI call that failed: names the call ({@code "RunPodSandbox"}, ...) and says what kind of failure
 * it was, so callers can tell "gone" and "try again later" from real errors without seeing gRPC.
 */
public final class CriException extends RuntimeException {

  /** What kind of failure; everything the kubelet does not treat specially is {@link #OTHER}. */
  public enum Code {
    NOT_FOUND,
    ALREADY_EXISTS,
    /** The call's deadline passed; the runtime may still complete it. */
    TIMEOUT,
    /** The runtime cannot be reached (not running, socket missing). */
    UNAVAILABLE,
    OTHER
  }

  private final String call;
  private final Code code;

  public CriException(String call, Code code, String message, Throwable cause) {
    super("CRI " + call + " failed: " + code + ": " + message, cause);
    this.call = call;
    this.code = code;
  }

  public CriException(String call, Code code, String message) {
    this(call, code, message, null);
  }

  /** The CRI rpc name, e.g. {@code "CreateContainer"}. */
  public String call() {
    return call;
  }

  public Code code() {
    return code;
  }

  public boolean isNotFound() {
    return code == Code.NOT_FOUND;
  }
}
