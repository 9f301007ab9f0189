package io.minik8s.e2e;

import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.TestLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code deploy/lab.sh} driven from a test, with settings of its own (state directory, namespace prefix,
 * bridge, subnets, ports) so that it never meets a lab a user runs on the same host; and a list of
 * whatever such a lab could leave behind on the host, to prove {@code down} removed it all.
 *
 * <p>Every run appends its command and output to one log file ({@link #logFile()}). Not thread-safe:
 * one test drives one lab.
 */
final class LabScript {
  private static final Path SCRIPT = Cluster.ROOT.resolve("deploy/lab.sh");

  private final Path state;
  private final String name;
  private final String bridge;
  private final String subnetPrefix;
  private final String podNet;
  private final int portBase;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final Path logFile = TestLogs.file("lab-script");

  /**
   * @param subnetPrefix the lab network's first three octets ("172.31.254": bridge .1, node i .10+i)
   * @param podNet the pods' first two octets ("10.246": node i gets 10.246.i.0/24)
   */
  LabScript(Path state, String name, String bridge, String subnetPrefix, String podNet, Map<String, String> extra) {
    this.state = state;
    this.name = name;
    this.bridge = bridge;
    this.subnetPrefix = subnetPrefix;
    this.podNet = podNet;
    this.portBase = freePortBase();
    environment.put("MINIK8S_LAB_STATE", state.toString());
    environment.put("MINIK8S_LAB_NAME", name);
    environment.put("MINIK8S_LAB_BRIDGE", bridge);
    environment.put("MINIK8S_LAB_SUBNET", subnetPrefix + ".0/24");
    environment.put("MINIK8S_LAB_POD_NET", podNet);
    environment.put("MINIK8S_LAB_PORT_BASE", Integer.toString(portBase));
    // Not 53: a DNS server on the host's 0.0.0.0:53 would take it. Pods still ask 10.96.0.10:53; the
    // kube-dns Service's targetPort follows.
    environment.put("MINIK8S_LAB_DNS_PORT", Integer.toString(portBase + 61));
    environment.putAll(extra);
  }

  record Result(int exitCode, String output) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + output;
    }
  }

  Path state() {
    return state;
  }

  Path logFile() {
    return logFile;
  }

  String nodeIp(int node) {
    return subnetPrefix + "." + (10 + node);
  }

  String podCidrPrefix(int node) {
    return podNet + "." + node + ".";
  }

  /** The API servers as every client of the lab gets them: {@code host:port,host:port}. */
  String apiServers(int controlPlanes) {
    List<String> servers = new ArrayList<>();
    for (int i = 1; i <= controlPlanes; i++) {
      servers.add(subnetPrefix + ".1:" + (portBase + i));
    }
    return String.join(",", servers);
  }

  /** Runs {@code lab.sh args...}; the output (stdout and stderr) is returned and appended to the log. */
  Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("lab-sh", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(environment);
      long started = System.nanoTime();
      Process p = pb.start();
      boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      Files.writeString(logFile, "$ lab.sh " + String.join(" ", args) + "   (" + seconds + " s, "
              + (finished ? "exit " + p.exitValue() : "killed after " + timeout) + ")\n" + output + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      if (!finished) {
        throw new AssertionError("lab.sh " + String.join(" ", args) + " did not finish within " + timeout
            + "\n" + output);
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs it and fails (with its output) unless it exits 0. */
  Result ok(Duration timeout, String... args) {
    Result r = run(timeout, args);
    if (r.exitCode() != 0) {
      throw new AssertionError("lab.sh " + String.join(" ", args) + " failed: " + r);
    }
    return r;
  }

  /** The tail of a lab process's log (logs/NAME.log in the state directory), for failure messages. */
  String logTail(String process, int lines) {
    Path log = state.resolve("logs").resolve(process + ".log");
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- " + log + " ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no " + log + ")";
    }
  }

  /**
   * What a lab of these settings could leave on the host, as readable lines: network namespaces, links,
   * iptables rules carrying the lab's tag, mounts below the state directory, processes naming it, and
   * the state directory itself. Empty when the host is clean.
   */
  List<String> leftovers() {
    List<String> found = new ArrayList<>();
    for (String ns : lines("ip", "netns", "list")) {
      if (ns.startsWith(name + "-")) {
        found.add("network namespace " + ns);
      }
    }
    for (String link : lines("ip", "-o", "link", "show")) {
      String[] parts = link.split(":\\s+", 3);
      if (parts.length > 1 && parts[1].split("@")[0].startsWith(bridge)) {
        found.add("link " + parts[1]);
      }
    }
    for (String rule : lines("iptables-save")) {
      if (rule.contains("minik8s-lab:" + bridge)) {
        found.add("iptables rule " + rule);
      }
    }
    for (String route : lines("ip", "route", "show")) {
      if (route.startsWith(podNet + ".") || route.contains(subnetPrefix + ".")) {
        found.add("route " + route);
      }
    }
    try {
      for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
        if (mount.contains(" " + state + "/") || mount.contains(" " + state + " ")) {
          found.add("mount " + mount);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String marker = "-Dminik8s.lab=" + state;
    ProcessHandle.allProcesses().forEach(p -> {
      List<String> args = p.info().arguments().map(List::of).orElse(List.of());
      boolean ours = args.stream().anyMatch(a -> a.equals(marker) || a.startsWith(state + "/"));
      if (ours) {
        found.add("process " + p.pid() + " " + p.info().commandLine().orElse("?"));
      }
    });
    if (Files.exists(state)) {
      found.add("state directory " + state);
    }
    return found;
  }

  private static List<String> lines(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A base port whose lab ports (base+1 .. base+69) are all free on the host now. */
  private static int freePortBase() {
    for (int base = 17800; base < 30000; base += 100) {
      if (Stream.iterate(base + 1, p -> p + 1).limit(69).allMatch(LabScript::free)) {
        return base;
      }
    }
    throw new IllegalStateException("no free block of lab ports between 17800 and 30000");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
