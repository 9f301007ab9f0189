package io.minik8s.kubelet.cri;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubelet asks for when it runs a pod sandbox. Immutable; build it with {@link #builder}.
 *
 * @param name pod name
 * @param namespace pod namespace
 * @param uid pod uid
 * @param attempt how many sandboxes this pod had before this one (0 for the first)
 * @param hostname the pod's hostname; "" lets the runtime choose (only sensible with host network)
 * @param logDirectory host directory for the containers' logs ("" for none)
 * @param dns resolver settings for the pod's /etc/resolv.conf; {@code null} keeps the runtime's default
 * @param ports host ports to map to the pod (hostPort)
 * @param hostNetwork run in the node's network namespace instead of a new one
 */
public record SandboxSpec(String name, String namespace, String uid, int attempt, String hostname,
                          String logDirectory, Dns dns, List<Port> ports, Map<String, String> labels,
                          Map<String, String> annotations, String cgroupParent, boolean hostNetwork) {

  public SandboxSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uid, "uid");
    hostname = Objects.requireNonNullElse(hostname, "");
    logDirectory = Objects.requireNonNullElse(logDirectory, "");
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    cgroupParent = Objects.requireNonNullElse(cgroupParent, "");
  }

  /** nameserver, search and options lines of the pod's resolv.conf. */
  public record Dns(List<String> servers, List<String> searches, List<String> options) {
    public Dns {
      servers = List.copyOf(servers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  public enum Protocol { TCP, UDP, SCTP }

  /** A hostPort: traffic to {@code hostIp:hostPort} on the node goes to the pod's containerPort. */
  public record Port(Protocol protocol, int containerPort, int hostPort, String hostIp) {
    public Port {
      Objects.requireNonNull(protocol, "protocol");
      hostIp = Objects.requireNonNullElse(hostIp, "");
    }
  }

  public static Builder builder(String name, String namespace, String uid) {
    return new Builder(name, namespace, uid);
  }

  public Builder toBuilder() {
    return new Builder(name, namespace, uid).attempt(attempt).hostname(hostname).logDirectory(logDirectory)
        .dns(dns).ports(ports).labels(labels).annotations(annotations).cgroupParent(cgroupParent)
        .hostNetwork(hostNetwork);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String namespace;
    private final String uid;
    private int attempt;
    private String hostname = "";
    private String logDirectory = "";
    private Dns dns;
    private List<Port> ports = List.of();
    private Map<String, String> labels = Map.of();
    private Map<String, String> annotations = Map.of();
    private String cgroupParent = "";
    private boolean hostNetwork;

    private Builder(String name, String namespace, String uid) {
      this.name = name;
      this.namespace = namespace;
      this.uid = uid;
    }

    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    public Builder logDirectory(String logDirectory) {
      this.logDirectory = logDirectory;
      return this;
    }

    public Builder dns(Dns dns) {
      this.dns = dns;
      return this;
    }

    public Builder ports(List<Port> ports) {
      this.ports = ports;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder annotations(Map<String, String> annotations) {
      this.annotations = annotations;
      return this;
    }

    public Builder cgroupParent(String cgroupParent) {
      this.cgroupParent = cgroupParent;
      return this;
    }

    public Builder hostNetwork(boolean hostNetwork) {
      this.hostNetwork = hostNetwork;
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(name, namespace, uid, attempt, hostname, logDirectory, dns, ports, labels,
          annotations, cgroupParent, hostNetwork);
    }
  }
}
