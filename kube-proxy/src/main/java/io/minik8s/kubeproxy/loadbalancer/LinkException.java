package io.minik8s.kubeproxy.loadbalancer;

/** A command on the link failed; the message holds the command, its exit code and its stderr. */
public final class LinkException extends Exception {
  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
