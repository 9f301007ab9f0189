package io.minik8s.kubeproxy.iptables;

/** An iptables command failed; the message holds the command, its exit code and its stderr. */
public final class IptablesException extends Exception {
  public IptablesException(String message) {
    super(message);
  }

  public IptablesException(String message, Throwable cause) {
    super(message, cause);
  }
}
