package io.minik8s.kubeproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace for tests: created with a random name, wired with a veth pair (m8s0, m8s1),
 * and deleted (with the processes started in it) by {@link #close()}. Nothing here touches the host's
 * own network configuration or iptables.
 */
final class Netns implements AutoCloseable {
  final String name = "m8s-kp-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
  private final List<Process> processes = new ArrayList<>();

  Netns() throws IOException, InterruptedException {
    run("ip", "netns", "add", name);
    try {
      exec("ip", "link", "set", "lo", "up");
      // A veth pair with both ends inside (this kernel has no dummy driver); m8s0 carries the addresses.
      exec("ip", "link", "add", "m8s0", "type", "veth", "peer", "name", "m8s1");
      exec("ip", "link", "set", "m8s0", "up");
      exec("ip", "link", "set", "m8s1", "up");
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Runs {@code command} inside the namespace; fails unless it exits 0. Returns stdout. */
  String exec(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(command));
    return run(argv.toArray(String[]::new));
  }

  /** Runs {@code command} inside the namespace; returns exit code and output, never throws on failure. */
  Outcome tryExec(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Outcome(-1, out);
    }
    return new Outcome(p.exitValue(), out);
  }

  record Outcome(int exitCode, String output) {}

  /** Starts a long-running process in the namespace; it is killed by {@link #close()}. */
  Process spawn(String... command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    processes.add(p);
    return p;
  }

  static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " exited with " + p.exitValue() + ": " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    run("ip", "netns", "del", name);
  }
}
