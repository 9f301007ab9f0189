package io.minik8s.kubelet.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node is, read from the host once at start-up: its name and IP, CPU cores, memory, kernel,
 * OS, architecture and machine ids. Immutable.
 *
 * @param memoryKi MemTotal from /proc/meminfo, in KiB
 */
public record HostInfo(String hostname, String nodeIp, int cpuCores, long memoryKi, String kernelVersion,
                       String osImage, String architecture, String machineId, String bootId, String systemUuid) {
  private static final Logger log = LoggerFactory.getLogger(HostInfo.class);
  /** Interfaces that are never the node's address: container bridges and veths. */
  private static final List<String> VIRTUAL_PREFIXES = List.of("lo", "veth", "cni", "docker", "m8s", "flannel",
      "cali", "virbr");

  /** Reads the host; {@code nodeIp} overrides the detected address when not empty. */
  public static HostInfo detect(String nodeIp) {
    String ip = nodeIp == null || nodeIp.isEmpty() ? defaultIpv4().orElse("127.0.0.1") : nodeIp;
    return new HostInfo(localHostname(), ip, detectCpuCores(), detectMemoryKi(),
        read("/proc/sys/kernel/osrelease").orElse(System.getProperty("os.version")),
        detectOsImage(), architecture(System.getProperty("os.arch")),
        read("/etc/machine-id").orElse(""), read("/proc/sys/kernel/random/boot_id").orElse(""),
        read("/sys/class/dmi/id/product_uuid").orElse(""));
  }

  /** The host name, lower-cased, as Kubernetes names a node by default. */
  public static String localHostname() {
    Optional<String> h = read("/proc/sys/kernel/hostname");
    if (h.isPresent() && !h.get().isEmpty()) {
      return h.get().toLowerCase(Locale.ROOT);
    }
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Kubernetes' (Go's) names: amd64, arm64. */
  static String architecture(String javaArch) {
    return switch (javaArch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> javaArch;
    };
  }

  static int detectCpuCores() {
    // /sys/.../online is the machine's, like cadvisor's count; availableProcessors may reflect a cgroup limit.
    Optional<String> online = read("/sys/devices/system/cpu/online");
    if (online.isPresent()) {
      try {
        return countCpuList(online.get());
      } catch (RuntimeException e) {
        log.debug("cannot parse the online CPU list '{}'", online.get());
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** Counts a kernel CPU list such as {@code 0-3,6,8-9}. */
  static int countCpuList(String list) {
    int n = 0;
    for (String part : list.strip().split(",")) {
      String[] range = part.split("-");
      n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
    }
    return n;
  }

  static long detectMemoryKi() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          return parseMemTotalKi(line);
        }
      }
    } catch (IOException e) {
      log.debug("cannot read /proc/meminfo: {}", e.toString());
    }
    return Runtime.getRuntime().maxMemory() / 1024;
  }

  /** {@code MemTotal:       24589412 kB} → 24589412. */
  static long parseMemTotalKi(String line) {
    String[] parts = line.strip().split("\\s+");
    return Long.parseLong(parts[1]);
  }

  static String detectOsImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replaceAll("^\"|\"$", "");
        }
      }
    } catch (IOException e) {
      log.debug("cannot read /etc/os-release: {}", e.toString());
    }
    return System.getProperty("os.name");
  }

  /**
   * The IPv4 address of the interface the default route goes through; else the first IPv4 address of
   * an up, non-virtual interface.
   */
  static Optional<String> defaultIpv4() {
    try {
      Optional<String> routeIface = defaultRouteInterface();
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (routeIface.isPresent() && ni.getName().equals(routeIface.get())) {
          Optional<String> ip = ipv4(ni);
          if (ip.isPresent()) {
            return ip;
          }
        }
      }
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (ni.isUp() && !ni.isLoopback() && VIRTUAL_PREFIXES.stream().noneMatch(ni.getName()::startsWith)) {
          Optional<String> ip = ipv4(ni);
          if (ip.isPresent()) {
            return ip;
          }
        }
      }
    } catch (SocketException e) {
      log.debug("cannot list network interfaces: {}", e.toString());
    }
    return Optional.empty();
  }

  private static Optional<String> ipv4(NetworkInterface ni) {
    return Collections.list(ni.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address)
        .filter(a -> !a.isLoopbackAddress()).map(InetAddress::getHostAddress).findFirst();
  }

  /** From /proc/net/route: the interface of the destination-0 route. */
  private static Optional<String> defaultRouteInterface() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/route"), StandardCharsets.UTF_8)) {
        String[] f = line.strip().split("\\s+");
        if (f.length > 2 && f[1].equals("00000000")) {
          return Optional.of(f[0]);
        }
      }
    } catch (IOException e) {
      log.debug("cannot read /proc/net/route: {}", e.toString());
    }
    return Optional.empty();
  }

  private static Optional<String> read(String path) {
    try {
      return Optional.of(Files.readString(Path.of(path), StandardCharsets.UTF_8).strip());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
