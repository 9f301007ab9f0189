package io.minik8s.kubelet.exec;

/** Why a command could not be run, with the HTTP status the kubelet answers it with. */
public final class ExecException extends RuntimeException {
  private final int httpStatus;

  private ExecException(int httpStatus, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
  }

  /** No such pod or container on this node: 404. */
  public static ExecException notFound(String message) {
    return new ExecException(404, message, null);
  }

  /** The request cannot be served as it is (a container that does not run, a malformed body): 400. */
  public static ExecException badRequest(String message) {
    return new ExecException(400, message, null);
  }

  /** The runtime failed or timed out: 500. */
  public static ExecException runtimeFailed(String message, Throwable cause) {
    return new ExecException(500, message, cause);
  }

  public int httpStatus() {
    return httpStatus;
  }
}
