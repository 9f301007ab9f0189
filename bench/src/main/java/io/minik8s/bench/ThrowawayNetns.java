package io.minik8s.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of the benchmark's own: created by {@link #create}, deleted by {@link #close()}
 * whatever happened in between (a veth pair with one end inside goes with it). Commands run inside
 * through {@code nsenter --net}, which, unlike {@code ip netns exec}, does not remount {@code /sys}
 * and so costs less per call. Nothing here touches the host's iptables; {@link #linkToHost} adds one
 * veth pair and a /30 route on the host, both gone with the namespace. Needs root.
 */
final class ThrowawayNetns implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final String name;
  private final int number;
  private String hostAddress;
  private String address;

  private ThrowawayNetns(String name, int number) {
    this.name = name;
    this.number = number;
  }

  /** Creates {@code m8s-bench-<purpose>-<pid>-<n>} with its loopback up. */
  static ThrowawayNetns create(String purpose) throws IOException {
    int number = COUNTER.incrementAndGet();
    String name = "m8s-bench-" + purpose + "-" + ProcessHandle.current().pid() + "-" + number;
    run(List.of("ip", "netns", "add", name));
    ThrowawayNetns ns = new ThrowawayNetns(name, number);
    try {
      ns.exec("ip", "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  String name() {
    return name;
  }

  /** The argv prefix that runs a command inside this namespace. */
  List<String> prefix() {
    return List.of("nsenter", "--net=/var/run/netns/" + name);
  }

  /**
   * Connects the namespace to the host with a veth pair on a /30 of 10.254.0.0/16 picked from the pid
   * (host end .1, namespace end .2), so processes inside reach listeners on the host's end address and
   * the host reaches listeners inside on {@link #address()}.
   */
  void linkToHost() throws IOException {
    long pid = ProcessHandle.current().pid();
    int block = (int) ((pid * 4 + number) % 16_384); // a /16 holds 16,384 blocks of 4 addresses
    String base = "10.254." + block / 64 + ".";
    hostAddress = base + ((block % 64) * 4 + 1);
    address = base + ((block % 64) * 4 + 2);
    String hostEnd = "m8sb" + pid % 100_000 + "h" + number % 10;
    String nsEnd = "m8sb" + pid % 100_000 + "n" + number % 10;
    run(List.of("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd));
    run(List.of("ip", "link", "set", nsEnd, "netns", name));
    run(List.of("ip", "addr", "add", hostAddress + "/30", "dev", hostEnd));
    run(List.of("ip", "link", "set", hostEnd, "up"));
    exec("ip", "addr", "add", address + "/30", "dev", nsEnd);
    exec("ip", "link", "set", nsEnd, "up");
  }

  /** The host's end of {@link #linkToHost}. */
  String hostAddress() {
    return hostAddress;
  }

  /** The namespace's end of {@link #linkToHost}. */
  String address() {
    return address;
  }

  /** Runs {@code command} inside; returns its stdout; fails unless it exits 0 within a minute. */
  String exec(String... command) throws IOException {
    List<String> argv = new ArrayList<>(prefix());
    argv.addAll(List.of(command));
    return run(argv);
  }

  static String run(List<String> argv) throws IOException {
    Process p = new ProcessBuilder(argv).start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    String out = new String(readAll(p.getInputStream()), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + " exited with " + p.exitValue() + ": "
            + new String(err.join(), StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  private static byte[] readAll(java.io.InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Deletes the namespace (and the veth pair, whose one end is inside). */
  @Override
  public void close() throws IOException {
    run(List.of("ip", "netns", "del", name));
  }
}
