package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EnvVar;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.client.codec.Quantity;
import io.minik8s.kubelet.cri.ContainerSpec;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.runtime.PodLabels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Translates a pod into what the CRI is asked for: the sandbox spec and one container spec per
 * container. Deterministic (the same pod gives the same specs, in any kubelet process), which is what
 * lets a restarted kubelet recognize the containers it made: their {@link PodLabels#CONTAINER_HASH}
 * annotation still matches. Stateless and thread-safe.
 */
public final class PodSpecs {
  /** CFS period the CPU limit is expressed in (Kubernetes' default, 100 ms). */
  static final long CPU_PERIOD_MICROS = 100_000;
  /** The smallest CFS quota the kernel takes (1 ms). */
  static final long MIN_CPU_QUOTA_MICROS = 1_000;
  static final long MIN_CPU_SHARES = 2;
  static final long DEFAULT_GRACE_SECONDS = 30;

  private final Path podLogDir;
  private final List<String> clusterDns;
  private final String clusterDomain;

  /**
   * @param podLogDir where pods' log directories go ({@code /var/log/pods})
   * @param clusterDns nameservers for ClusterFirst pods; empty: the runtime's default resolv.conf
   * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
   */
  public PodSpecs(Path podLogDir, List<String> clusterDns, String clusterDomain) {
    this.podLogDir = Objects.requireNonNull(podLogDir, "podLogDir");
    this.clusterDns = List.copyOf(clusterDns);
    this.clusterDomain = Objects.requireNonNull(clusterDomain, "clusterDomain");
  }

  /** {@code <podLogDir>/<namespace>_<name>_<uid>}, as Kubernetes lays pod logs out. */
  public Path logDirectory(ObjectMeta pod) {
    return podLogDir.resolve(pod.getNamespace() + "_" + pod.getName() + "_" + pod.getUid());
  }

  /** The log file of a container, relative to its pod's log directory: {@code <name>/<restartCount>.log}. */
  public static String logPath(String containerName, int attempt) {
    return containerName + "/" + attempt + ".log";
  }

  public SandboxSpec sandbox(Pod pod, int attempt) {
    ObjectMeta m = pod.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(m.getLabelsMap());
    labels.putAll(podLabels(m));
    List<SandboxSpec.Port> ports = new ArrayList<>();
    for (Container c : pod.getSpec().getContainersList()) {
      for (ContainerPort p : c.getPortsList()) {
        if (p.getHostPort() > 0) {
          ports.add(new SandboxSpec.Port(protocol(p.getProtocol()), p.getContainerPort(), p.getHostPort(),
              p.getHostIp()));
        }
      }
    }
    return SandboxSpec.builder(m.getName(), m.getNamespace(), m.getUid())
        .attempt(attempt)
        .hostname(hostname(pod))
        .logDirectory(logDirectory(m).toString())
        .dns(dns(pod))
        .ports(ports)
        .labels(labels)
        .annotations(m.getAnnotationsMap())
        .hostNetwork(pod.getSpec().getHostNetwork())
        .build();
  }

  public ContainerSpec container(Pod pod, Container c, int attempt) {
    Map<String, String> labels = new LinkedHashMap<>(podLabels(pod.getMetadata()));
    labels.put(PodLabels.CONTAINER_NAME, c.getName());
    Map<String, String> annotations = Map.of(
        PodLabels.CONTAINER_HASH, hash(c),
        PodLabels.CONTAINER_RESTART_COUNT, Integer.toString(attempt),
        PodLabels.POD_TERMINATION_GRACE_PERIOD, Long.toString(terminationGracePeriod(pod)));
    List<ContainerSpec.EnvVar> env = new ArrayList<>();
    for (EnvVar e : c.getEnvList()) {
      env.add(new ContainerSpec.EnvVar(e.getName(), e.getValue()));
    }
    return ContainerSpec.builder(c.getName(), c.getImage())
        .attempt(attempt)
        .command(c.getCommandList())
        .args(c.getArgsList())
        .workingDir(c.getWorkingDir())
        .env(env)
        .labels(labels)
        .annotations(annotations)
        .logPath(logPath(c.getName(), attempt))
        .resources(resources(c))
        .build();
  }

  /** The grace period a pod's containers get when it is stopped: the pod's, else 30 s. */
  public static long terminationGracePeriod(Pod pod) {
    return pod.getSpec().hasTerminationGracePeriodSeconds() ? pod.getSpec().getTerminationGracePeriodSeconds()
        : DEFAULT_GRACE_SECONDS;
  }

  /**
   * A digest of everything in a container's spec that the created container depends on. Computed from
   * the fields themselves (maps sorted), not protobuf bytes or hash codes, so it is the same in every
   * JVM.
   */
  public static String hash(Container c) {
    StringBuilder b = new StringBuilder();
    b.append("name=").append(c.getName()).append('\n')
        .append("image=").append(c.getImage()).append('\n')
        .append("command=").append(c.getCommandList()).append('\n')
        .append("args=").append(c.getArgsList()).append('\n')
        .append("workingDir=").append(c.getWorkingDir()).append('\n');
    for (EnvVar e : c.getEnvList()) {
      b.append("env=").append(e.getName()).append('=').append(e.getValue()).append('\n');
    }
    for (ContainerPort p : c.getPortsList()) {
      b.append("port=").append(p.getContainerPort()).append('/').append(p.getProtocol()).append(':')
          .append(p.getHostPort()).append('@').append(p.getHostIp()).append('\n');
    }
    b.append("limits=").append(new TreeMap<>(c.getResources().getLimitsMap())).append('\n')
        .append("requests=").append(new TreeMap<>(c.getResources().getRequestsMap())).append('\n');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static ContainerSpec.Resources resources(Container c) {
    Map<String, String> limits = c.getResources().getLimitsMap();
    Map<String, String> requests = c.getResources().getRequestsMap();
    long quota = 0;
    long period = 0;
    long shares = 0;
    long memory = 0;
    if (limits.containsKey("cpu")) {
      long millis = Quantity.parse(limits.get("cpu")).milliValue();
      period = CPU_PERIOD_MICROS;
      quota = Math.max(MIN_CPU_QUOTA_MICROS, millis * CPU_PERIOD_MICROS / 1000);
    }
    String cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
    if (cpuRequest != null) {
      shares = Math.max(MIN_CPU_SHARES, Quantity.parse(cpuRequest).milliValue() * 1024 / 1000);
    }
    if (limits.containsKey("memory")) {
      memory = Quantity.parse(limits.get("memory")).value();
    }
    return new ContainerSpec.Resources(period, quota, shares, memory);
  }

  private SandboxSpec.Dns dns(Pod pod) {
    String policy = pod.getSpec().getDnsPolicy();
    boolean clusterFirst = policy.isEmpty() || policy.equals("ClusterFirst")
        || (policy.equals("ClusterFirstWithHostNet") && pod.getSpec().getHostNetwork());
    if (clusterDns.isEmpty() || !clusterFirst || (pod.getSpec().getHostNetwork() && policy.equals("ClusterFirst"))) {
      return null; // the runtime gives the node's resolv.conf
    }
    String ns = pod.getMetadata().getNamespace();
    return new SandboxSpec.Dns(clusterDns,
        List.of(ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain), List.of("ndots:5"));
  }

  /** spec.hostname, else the pod's name cut to a DNS label (63 characters, no trailing '-' or '.'). */
  static String hostname(Pod pod) {
    String h = pod.getSpec().getHostname().isEmpty() ? pod.getMetadata().getName() : pod.getSpec().getHostname();
    if (h.length() > 63) {
      h = h.substring(0, 63);
    }
    while (h.endsWith("-") || h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static Map<String, String> podLabels(ObjectMeta m) {
    return Map.of(PodLabels.POD_UID, m.getUid(), PodLabels.POD_NAME, m.getName(),
        PodLabels.POD_NAMESPACE, m.getNamespace());
  }

  private static SandboxSpec.Protocol protocol(String protocol) {
    return protocol.isEmpty() ? SandboxSpec.Protocol.TCP : SandboxSpec.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
  }
}
