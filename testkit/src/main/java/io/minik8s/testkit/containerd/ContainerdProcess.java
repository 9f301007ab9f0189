package io.minik8s.testkit.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private containerd for one test: real containerd + runc + CNI, on its own socket, root, state,
 * bridge ({@code m8st<random>}) and pod subnet, all under one temporary directory, with the local
 * images loaded. Needs root and Debian's containerd, runc, containernetworking-plugins, iptables and
 * busybox-static ({@code deploy/install-deps.sh}).
 *
 * <pre>{@code
 * try (ContainerdProcess containerd = ContainerdProcess.start()) {
 *   ContainerRuntime cri = CriRuntime.connect(containerd.endpoint());
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} always leaves the host as it found it: it removes every pod through the CRI
 * (restarting containerd first if a test stopped or killed it), stops containerd, then removes
 * whatever is left (container processes, shims, mounts, NAT rules, the bridge, the directory). A
 * shutdown hook closes it if the test did not; a JVM killed outright is cleaned up by the next
 * ContainerdProcess that takes the same subnet. Methods are thread-safe (synchronized).
 */
public final class ContainerdProcess implements AutoCloseable {
  public static final String DEFAULT_SUBNET = "10.244.123.0/24";
  /** Without a subnet given, the first free one of 10.244.123.0/24, 10.244.124.0/24, ... is taken. */
  private static final int DEFAULT_SUBNET_CANDIDATES = 64;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Path TEMP_ROOT = Path.of("/tmp");
  private static final String DIR_PREFIX = "m8s-ctrd-";
  private static final Logger log = LoggerFactory.getLogger(ContainerdProcess.class);

  private final Subnets.Lease lease;
  private final String bridge;
  private final Path dir;
  private final Path state;
  private final Path socket;
  private final Path config;
  private final Path logFile;
  private final CriAdminClient admin;
  private final Thread shutdownHook;
  private Process process;
  /** Whether containerd ever became ready: only then is restarting it to remove pods worth trying. */
  private boolean wasReady;
  private boolean closed;

  private ContainerdProcess(Subnets.Lease lease) throws IOException {
    this.lease = lease;
    this.bridge = "m8st" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.dir = Files.createTempDirectory(TEMP_ROOT, DIR_PREFIX);
    this.state = dir.resolve("state");
    this.socket = dir.resolve("containerd.sock");
    this.config = dir.resolve("config.toml");
    this.logFile = dir.resolve("containerd.log");
    this.admin = new CriAdminClient(socket.toString());
    this.shutdownHook = new Thread(this::close, "containerd-cleanup-" + bridge);
  }

  /** Starts one on the first free default subnet (10.244.123.0/24 unless another test holds it). */
  public static ContainerdProcess start() {
    return start(null);
  }

  /**
   * Starts one whose pods get addresses from {@code subnet} (an IPv4 /16../28 CIDR, e.g.
   * "10.244.7.0/24"); {@code null} picks a free default. Fails if another test on this machine
   * holds the subnet or an interface not made by a ContainerdProcess uses it.
   */
  public static ContainerdProcess start(String subnet) {
    requireRoot();
    Subnets.Lease lease = subnet == null ? leaseFreeDefault() : leaseExactly(subnet);
    ContainerdProcess containerd = null;
    try {
      cleanUpAfterDeadOwners(lease.cidr());
      containerd = new ContainerdProcess(lease);
      Runtime.getRuntime().addShutdownHook(containerd.shutdownHook);
      containerd.prepare();
      synchronized (containerd) {
        containerd.launch();
        containerd.awaitReady();
      }
      containerd.loadImages();
      log.info("containerd ready on {} (subnet {}, bridge {}, dir {})", containerd.socket, lease.cidr(),
          containerd.bridge, containerd.dir);
      return containerd;
    } catch (IOException e) {
      lease.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (containerd != null) {
        containerd.close();
      } else {
        lease.close();
      }
      throw e;
    }
  }

  /** The gRPC socket (CRI and containerd's own API). */
  public String socketPath() {
    return socket.toString();
  }

  /** The socket as a CRI endpoint: {@code unix:///tmp/m8s-ctrd-.../containerd.sock}. */
  public String endpoint() {
    return "unix://" + socket;
  }

  public String subnet() {
    return lease.cidr();
  }

  /** The bridge interface CNI attaches pods to; also the CNI network's name. */
  public String bridgeName() {
    return bridge;
  }

  public Path directory() {
    return dir;
  }

  /** containerd's log (appended across restarts): the first place to look when a CRI call fails. */
  public Path logFile() {
    return logFile;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops containerd with SIGTERM. Its containers keep running, as with a real node's containerd. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("containerd did not stop within {}; killing it", STOP_TIMEOUT);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills containerd with SIGKILL, as a crash would. Its containers keep running. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts containerd again on the same root and state (after {@link #stop} or {@link #kill}). */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (isRunning()) {
      throw new IllegalStateException("containerd is running");
    }
    launch();
    awaitReady();
  }

  /** Removes every pod, stops containerd and removes everything it made. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!isRunning() && wasReady) {
        try {
          launch();
          awaitReady();
        } catch (RuntimeException e) {
          log.warn("cannot restart containerd to remove its pods; removing them by hand: {}", e.toString());
        }
      }
      if (isRunning()) {
        try {
          int removed = admin.removeAllPods();
          if (removed > 0) {
            log.info("removed {} pod sandbox(es) left in containerd {}", removed, bridge);
          }
        } catch (RuntimeException e) {
          log.warn("cannot remove pods through the CRI; removing them by hand: {}", e.toString());
        }
        stop();
      }
    } finally {
      admin.close();
      tearDown(dir);
      lease.close();
      if (Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to; close() is idempotent
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ContainerdProcess[" + socket + ", subnet " + lease.cidr() + ", bridge " + bridge + "]";
  }

  // ---- start-up ----

  private void prepare() {
    try {
      Path cniConf = Files.createDirectories(dir.resolve("cni"));
      String toml = Commands.check(List.of(RepoScripts.script("deploy/containerd/write-config.sh").toString(),
          "--root", dir.resolve("root").toString(), "--state", state.toString(), "--address", socket.toString(),
          "--cni-conf-dir", cniConf.toString(), "--sandbox-image", LocalImages.PAUSE), Duration.ofSeconds(30));
      Commands.writeString(config, toml);
      String conflist = Commands.check(List.of(RepoScripts.script("deploy/containerd/write-cni.sh").toString(),
          "--bridge", bridge, "--name", bridge, "--subnet", lease.cidr(), "--data-dir", dir.resolve("ipam").toString()),
          Duration.ofSeconds(30));
      Commands.writeString(cniConf.resolve("10-minik8s.conflist"), conflist);
      // What a later JVM needs to clean up after this one if it dies without closing.
      Commands.writeString(dir.resolve("subnet"), lease.cidr());
      Commands.writeString(dir.resolve("network"), bridge);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    ProcessBuilder pb = new ProcessBuilder("containerd", "--config", config.toString(), "--log-level", "info")
        .redirectErrorStream(true).redirectOutput(Redirect.appendTo(logFile.toFile()));
    pb.environment().put("PATH", Commands.path());
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start containerd (is it installed? deploy/install-deps.sh)", e);
    }
    Commands.writeString(dir.resolve("pid"), Long.toString(process.pid()));
  }

  private void awaitReady() {
    waitFor("containerd's CRI to report RuntimeReady and NetworkReady", admin::ready);
    wasReady = true;
  }

  private void loadImages() {
    Path images = LocalImages.ensureBuilt();
    Commands.check(List.of(RepoScripts.script("deploy/images/load.sh").toString(), "--address", socket.toString(),
        "--dir", images.toString()), Duration.ofMinutes(2));
    // The CRI plugin learns of imported images from containerd's events, a moment after the import.
    waitFor("the CRI plugin to see the local images",
        () -> admin.imagePresent(LocalImages.BUSYBOX) && admin.imagePresent(LocalImages.PAUSE));
  }

  private void waitFor(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("containerd exited while waiting for " + what + "; log:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + START_TIMEOUT + " waiting for " + what + "; log:\n"
            + logTail());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  // ---- subnets and clean-up ----

  private static void requireRoot() {
    if (!Commands.run("id", "-u").output().strip().equals("0")) {
      throw new IllegalStateException("ContainerdProcess needs root (containerd, runc and CNI do)");
    }
  }

  private static Subnets.Lease leaseFreeDefault() {
    for (int i = 0; i < DEFAULT_SUBNET_CANDIDATES; i++) {
      String cidr = "10.244." + (123 + i) + ".0/24";
      Optional<Subnets.Lease> lease = Subnets.tryAcquire(cidr);
      if (lease.isPresent()) {
        if (foreignUser(cidr).isEmpty()) {
          return lease.get();
        }
        lease.get().close();
      }
    }
    throw new IllegalStateException("no free pod subnet among 10.244.123.0/24 .. 10.244."
        + (123 + DEFAULT_SUBNET_CANDIDATES - 1) + ".0/24");
  }

  private static Subnets.Lease leaseExactly(String cidr) {
    Subnets.Lease lease = Subnets.tryAcquire(cidr).orElseThrow(() -> new IllegalStateException(
        "pod subnet " + cidr + " is held by another ContainerdProcess on this machine (lock in "
            + Subnets.LOCK_DIR + ")"));
    Optional<String> foreign = foreignUser(cidr);
    if (foreign.isPresent()) {
      lease.close();
      throw new IllegalStateException("pod subnet " + cidr + " is in use on this host by interface " + foreign.get());
    }
    return lease;
  }

  /** An interface using the subnet that no ContainerdProcess made (ours are named m8st...). */
  private static Optional<String> foreignUser(String cidr) {
    return HostCleanup.interfacesIn(cidr).stream().map(a -> a[0]).filter(name -> !name.startsWith("m8st")).findFirst();
  }

  /**
   * With the subnet's lock held, anything else on it belongs to a JVM that died without closing:
   * its directories under /tmp and any bridge of ours holding the subnet.
   */
  private static void cleanUpAfterDeadOwners(String cidr) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TEMP_ROOT, DIR_PREFIX + "*")) {
      for (Path stale : dirs) {
        Path subnetFile = stale.resolve("subnet");
        if (Files.isRegularFile(subnetFile) && Files.readString(subnetFile).strip().equals(cidr)) {
          log.warn("cleaning up after a dead test's containerd in {}", stale);
          tearDown(stale);
        }
      }
    }
    for (String[] iface : HostCleanup.interfacesIn(cidr)) {
      if (iface[0].startsWith("m8st")) {
        log.warn("deleting stale bridge {} ({}) of a dead test", iface[0], iface[1]);
        HostCleanup.deleteLink(iface[0]);
      }
    }
  }

  /**
   * Removes what a containerd directory's owner left on the host; containerd must not be running
   * (a still-running one of a dead JVM is killed first).
   */
  private static void tearDown(Path dir) {
    Path pidFile = dir.resolve("pid");
    String socket = dir.resolve("containerd.sock").toString();
    try {
      if (Files.isRegularFile(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
            .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()));
        if (orphan.isPresent()) {
          orphan.get().destroyForcibly();
          orphan.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      String network = Files.isRegularFile(dir.resolve("network")) ? Files.readString(dir.resolve("network")).strip() : "";
      HostCleanup.killContainersAndShims(dir.resolve("state").resolve("runc"), socket);
      HostCleanup.deleteShimSockets(dir.resolve("state"));
      HostCleanup.unmountAll(dir);
      if (!network.isEmpty()) {
        HostCleanup.deleteNatRules(network);
        HostCleanup.deleteCniResults(network);
        HostCleanup.deleteLink(network);
      }
    } catch (Exception e) {
      log.warn("clean-up of {} incomplete: {}", dir, e.toString());
    } finally {
      HostCleanup.deleteTree(dir);
    }
  }
}
