package io.minik8s.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.client.api.ApiException;

/**
 * Formats failed API calls the way kubectl prints them.
 *
 * <p>An error the server reported: {@code Error from server (NotFound): pods "x" not found}. A
 * server that cannot be reached at all (no Status in the reply):
 * {@code The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?}.
 */
public final class ServerErrors {
  private ServerErrors() {}

  public static String format(ApiException e, String server) {
    return format(e, server, null, null);
  }

  /**
   * With the action and the file: {@code Error from server (Invalid): error when creating "pod.yaml": ...}.
   *
   * @param action {@code creating}, {@code updating}, ... or null
   * @param source the manifest's file name, or null
   */
  public static String format(ApiException e, String server, String action, String source) {
    if (isUnreachable(e)) {
      return "The connection to the server " + server + " was refused - did you specify the right host or port?";
    }
    String reason = e.reason();
    StringBuilder out = new StringBuilder("Error from server");
    if (reason != null && !reason.isEmpty()) {
      out.append(" (").append(reason).append(')');
    }
    out.append(": ");
    if (action != null && source != null) {
      out.append("error when ").append(action).append(" \"").append(source).append("\": ");
    }
    return out.append(e.getMessage()).toString();
  }

  /** True when no server answered: the client made the error up from a transport failure. */
  static boolean isUnreachable(ApiException e) {
    Throwable cause = e.getCause();
    if (!(cause instanceof StatusRuntimeException)) {
      return false;
    }
    StatusRuntimeException grpc = (StatusRuntimeException) cause;
    boolean carriesStatus = grpc.getTrailers() != null && grpc.getTrailers().containsKey(ApiException.STATUS_KEY);
    return !carriesStatus && grpc.getStatus().getCode() == Status.Code.UNAVAILABLE;
  }
}
