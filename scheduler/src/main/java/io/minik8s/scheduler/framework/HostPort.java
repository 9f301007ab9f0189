package io.minik8s.scheduler.framework;

/**
 * One {@code hostPort} a pod asks for: address, protocol and port. Two conflict, as in Kubernetes,
 * when protocol and port are the same and either address is the wildcard or they are equal.
 */
public record HostPort(String hostIp, String protocol, int port) {
  private static final String WILDCARD = "0.0.0.0";

  public HostPort {
    hostIp = hostIp == null || hostIp.isEmpty() ? WILDCARD : hostIp;
    protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
  }

  public boolean conflictsWith(HostPort other) {
    return port == other.port && protocol.equals(other.protocol)
        && (hostIp.equals(WILDCARD) || other.hostIp.equals(WILDCARD) || hostIp.equals(other.hostIp));
  }
}
