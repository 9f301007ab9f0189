package io.minik8s.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian's etcd-server 3.4) on free loopback ports
 * with its own temporary data directory.
 *
 * <p>The ports and the data directory are fixed for the life of this object, so {@link #stop()} or
 * {@link #kill()} followed by {@link #start()} brings the same cluster back with its data (what an
 * etcd restart looks like to clients). {@link #close()} kills it and deletes the data directory.
 * etcd's output goes to {@code <name>.log} under {@link TestLogs#directory()}.
 *
 * <p>Thread-safe: lifecycle methods are synchronized.
 */
public final class EtcdProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdProcess.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  /** Override with the system property {@code minik8s.etcd} to use another binary. */
  public static final String ETCD_BINARY = System.getProperty("minik8s.etcd", "/usr/bin/etcd");
  /** Override with the system property {@code minik8s.etcdctl}. */
  public static final String ETCDCTL_BINARY = System.getProperty("minik8s.etcdctl", "/usr/bin/etcdctl");

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private final ProcessRunner runner;
  private boolean closed;

  private EtcdProcess(List<String> extraArgs) {
    this.name = "etcd-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    List<Integer> ports = FreePorts.take(2);
    this.clientPort = ports.get(0);
    this.peerPort = ports.get(1);
    try {
      this.dataDir = Files.createTempDirectory("minik8s-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for etcd", e);
    }
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>(List.of(ETCD_BINARY,
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer,
        "--initial-cluster-token", name,
        "--initial-cluster-state", "new",
        "--logger", "zap",
        "--log-outputs", "stderr"));
    command.addAll(extraArgs);
    this.runner = ProcessRunner.command(command.toArray(String[]::new)).name(name).build();
  }

  /**
   * An etcd that is not running yet; {@code extraArgs} are appended to its command line, e.g.
   * {@code --experimental-watch-progress-notify-interval=1s}.
   */
  public static EtcdProcess create(String... extraArgs) {
    return new EtcdProcess(List.of(extraArgs));
  }

  /** {@link #create} and {@link #start()}. */
  public static EtcdProcess started(String... extraArgs) {
    EtcdProcess etcd = create(extraArgs);
    try {
      return etcd.start();
    } catch (RuntimeException | Error e) {
      etcd.close();
      throw e;
    }
  }

  /**
   * Starts etcd (again, after {@link #stop()} or {@link #kill()}: same ports, same data) and waits until
   * its {@code /health} reports healthy, which for one member means it has elected itself leader.
   */
  public synchronized EtcdProcess start() {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    runner.start();
    runner.awaitCondition("healthy /health", START_TIMEOUT, this::healthy);
    log.info("{} serving {} (pid {}, data {})", name, endpoint(), runner.pid(), dataDir);
    return this;
  }

  /** {@code http://127.0.0.1:<client port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  public int clientPort() {
    return clientPort;
  }

  public int peerPort() {
    return peerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return runner.logFile();
  }

  public String name() {
    return name;
  }

  public synchronized boolean isRunning() {
    return runner.isAlive();
  }

  public synchronized long pid() {
    return runner.pid();
  }

  /** True when the client port answers {@code /health} with {@code "health":"true"}. */
  public boolean healthy() {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, waiting for etcd to exit (SIGKILL after 10 s). A no-op when it is not running. */
  public synchronized void stop() {
    if (runner.isAlive()) {
      runner.stop(Duration.ofSeconds(10));
      log.info("{} stopped", name);
    }
  }

  /** SIGKILL, waiting for etcd to be gone. A no-op when it is not running. */
  public synchronized void kill() {
    if (runner.isAlive()) {
      runner.kill();
      log.info("{} killed", name);
    }
  }

  /**
   * Compacts etcd's history up to {@code revision} ({@code etcdctl compaction --physical}, so it has
   * taken effect when this returns): watches and reads at older revisions fail from then on.
   */
  public void compact(long revision) {
    etcdctl("compaction", "--physical", Long.toString(revision));
  }

  /** etcd's current revision ({@code etcdctl endpoint status}). */
  public long revision() {
    String json = etcdctl("endpoint", "status", "-w", "json");
    Matcher m = Pattern.compile("\"revision\":(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no revision in etcdctl output: " + json);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Runs {@code etcdctl --endpoints <this> <args>} (API v3) and returns its output; fails with that
   * output when it exits non-zero.
   */
  public String etcdctl(String... args) {
    List<String> command = new ArrayList<>(List.of(ETCDCTL_BINARY, "--endpoints", endpoint(),
        "--command-timeout", "10s"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    try {
      Process p = pb.start();
      // etcdctl's output is small; reading it to the end also waits for the exit.
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("etcdctl " + String.join(" ", args) + " timed out");
      }
      String output = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed (" + p.exitValue()
            + "): " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + ETCDCTL_BINARY, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills etcd and deletes its data directory. The log file stays. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    kill();
    deleteRecursively(dataDir);
  }

  @Override
  public String toString() {
    return name + " at " + endpoint();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.warn("cannot delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
