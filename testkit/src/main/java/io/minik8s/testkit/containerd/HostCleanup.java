package io.minik8s.testkit.containerd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from the host what a private containerd may leave when it could not tear its pods down
 * itself: container processes and shims, mounts under its directory, its bridge, its iptables NAT
 * rules and CNI result cache, and finally its directory. Every step is best effort and logs what
 * it could not do; none touches anything not named after this containerd's directory, socket or
 * network.
 */
final class HostCleanup {
  private static final Logger log = LoggerFactory.getLogger(HostCleanup.class);
  private static final Path CNI_RESULTS = Path.of("/var/lib/cni/results");
  private static final Pattern ADDR_LINE = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+([0-9.]+)/\\d+");
  private static final Pattern JUMP_TARGET = Pattern.compile("^\\d+\\s+(\\S+)");

  private HostCleanup() {
  }

  /** Kills the containers runc knows under {@code runcRoot} and then their shims (found by socket). */
  static void killContainersAndShims(Path runcRoot, String socketPath) {
    if (Files.isDirectory(runcRoot)) {
      try (Stream<Path> namespaces = Files.list(runcRoot)) {
        for (Path ns : namespaces.toList()) {
          try (Stream<Path> containers = Files.list(ns)) {
            for (Path c : containers.toList()) {
              Commands.Result r = Commands.run("runc", "--root", ns.toString(), "delete", "--force",
                  c.getFileName().toString());
              if (!r.ok()) {
                log.warn("runc delete --force {} failed: {}", c.getFileName(), r.output().strip());
              }
            }
          }
        }
      } catch (IOException e) {
        log.warn("cannot list runc state under {}: {}", runcRoot, e.toString());
      }
    }
    for (long pid : shimPids(socketPath)) {
      ProcessHandle.of(pid).ifPresent(p -> {
        log.info("killing leftover shim {}", pid);
        p.destroyForcibly();
      });
    }
  }

  /**
   * A shim killed by force leaves its socket in /run/containerd/s (containerd 1.6 puts shim sockets
   * there whatever its state directory); each task's bundle records the address in a file.
   */
  static void deleteShimSockets(Path state) {
    Path tasks = state.resolve("io.containerd.runtime.v2.task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    try (Stream<Path> files = Files.walk(tasks, 3)) {
      for (Path address : files.filter(f -> f.getFileName().toString().equals("address")).toList()) {
        String socket = Files.readString(address).strip().replaceFirst("^unix://", "");
        if (socket.startsWith("/run/containerd/s/")) {
          Files.deleteIfExists(Path.of(socket));
        }
      }
    } catch (IOException e) {
      log.warn("cannot remove shim sockets listed under {}: {}", tasks, e.toString());
    }
  }

  /** Processes whose command line is a containerd shim started for this socket. */
  static List<Long> shimPids(String socketPath) {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains("containerd-shim") && cmdline.contains("\0" + socketPath + "\0")) {
            pids.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException | NumberFormatException gone) {
          // the process exited while we looked
        }
      }
    } catch (IOException e) {
      log.warn("cannot scan /proc: {}", e.toString());
    }
    return pids;
  }

  /** Mount points at or below {@code dir}, deepest first. */
  static List<String> mountsUnder(Path dir) {
    String prefix = dir.toAbsolutePath().toString();
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] fields = line.split(" ");
        String mountPoint = unescape(fields[4]);
        if (mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/")) {
          mounts.add(mountPoint);
        }
      }
    } catch (IOException e) {
      log.warn("cannot read mountinfo: {}", e.toString());
    }
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    return mounts;
  }

  static void unmountAll(Path dir) {
    for (String mountPoint : mountsUnder(dir)) {
      if (!Commands.run("umount", mountPoint).ok()) {
        Commands.Result lazy = Commands.run("umount", "-l", mountPoint);
        if (!lazy.ok()) {
          log.warn("cannot unmount {}: {}", mountPoint, lazy.output().strip());
        }
      }
    }
  }

  static void deleteLink(String name) {
    if (Commands.run("ip", "link", "show", name).ok()) {
      Commands.Result r = Commands.run("ip", "link", "delete", name);
      if (!r.ok()) {
        log.warn("cannot delete interface {}: {}", name, r.output().strip());
      }
    }
  }

  /** Interfaces holding an IPv4 address in the subnet, as (name, address). */
  static List<String[]> interfacesIn(String subnet) {
    List<String[]> found = new ArrayList<>();
    for (String line : Commands.run("ip", "-o", "-4", "addr", "show").output().split("\n")) {
      Matcher m = ADDR_LINE.matcher(line);
      if (m.find() && Subnets.contains(subnet, m.group(2))) {
        found.add(new String[] {m.group(1), m.group(2)});
      }
    }
    return found;
  }

  /**
   * Deletes the NAT rules CNI's bridge plugin (ipMasq) and portmap made for this network, with the
   * chains they jump to. CNI marks each rule with a comment naming the network.
   */
  static void deleteNatRules(String network) {
    String marker = "\"" + network + "\"";
    for (String chain : List.of("POSTROUTING", "PREROUTING", "OUTPUT")) {
      Commands.Result listing = Commands.run("iptables", "-w", "-t", "nat", "-L", chain, "-n", "--line-numbers");
      if (!listing.ok()) {
        continue;
      }
      List<String[]> doomed = new ArrayList<>();
      for (String line : listing.output().split("\n")) {
        if (line.contains(marker)) {
          Matcher m = JUMP_TARGET.matcher(line.trim());
          String number = line.trim().split("\\s+")[0];
          doomed.add(new String[] {number, m.find() ? m.group(1) : ""});
        }
      }
      // Delete from the highest rule number down, so the numbers of the rest stay valid.
      for (int i = doomed.size() - 1; i >= 0; i--) {
        String[] rule = doomed.get(i);
        Commands.run("iptables", "-w", "-t", "nat", "-D", chain, rule[0]);
        if (rule[1].startsWith("CNI-")) {
          Commands.run("iptables", "-w", "-t", "nat", "-F", rule[1]);
          Commands.run("iptables", "-w", "-t", "nat", "-X", rule[1]);
        }
        log.info("deleted leftover NAT rule of network {} in {}", network, chain);
      }
    }
  }

  /**
   * libcni caches each attachment's result as /var/lib/cni/results/NETWORK-CONTAINERID-IFNAME;
   * containerd's own loopback attachment is cached as cni-loopback-CONTAINERID-lo.
   */
  static void deleteCniResults(String network) {
    if (!Files.isDirectory(CNI_RESULTS)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(CNI_RESULTS, network + "-*")) {
      for (Path f : files) {
        String rest = f.getFileName().toString().substring(network.length() + 1);
        int ifname = rest.lastIndexOf('-');
        if (ifname > 0) {
          Files.deleteIfExists(CNI_RESULTS.resolve("cni-loopback-" + rest.substring(0, ifname) + "-lo"));
        }
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      log.warn("cannot clean {}: {}", CNI_RESULTS, e.toString());
    }
  }

  /** Deletes the directory tree unless something is still mounted below it. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    List<String> stillMounted = mountsUnder(dir);
    if (!stillMounted.isEmpty()) {
      log.warn("not deleting {}: still mounted below it: {}", dir, stillMounted);
      return;
    }
    Commands.Result r = Commands.run(List.of("rm", "-rf", "--one-file-system", dir.toString()), Duration.ofMinutes(1));
    if (!r.ok()) {
      log.warn("cannot delete {}: {}", dir, r.output().strip());
    }
  }

  private static String unescape(String mountinfoField) {
    // mountinfo escapes space, tab, newline and backslash as \ooo
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < mountinfoField.length(); i++) {
      char c = mountinfoField.charAt(i);
      if (c == '\\' && i + 3 < mountinfoField.length()) {
        try {
          sb.append((char) Integer.parseInt(mountinfoField.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException notEscape) {
          // fall through
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
