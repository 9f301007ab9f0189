package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.testkit.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real kubectl ({@code /usr/bin/kubectl}, or the system property {@code minik8s.kubectl}) pointed at one API
 * server's REST URL through a kubeconfig of its own, in a private directory (its HOME and cache), with the
 * caller's {@code KUBECONFIG} ignored. Each run waits for kubectl to end, at most {@link #TIMEOUT_SECONDS}.
 */
final class Kubectl implements AutoCloseable {
  static final Path BINARY = Paths.get(System.getProperty("minik8s.kubectl", "/usr/bin/kubectl"));
  static final long TIMEOUT_SECONDS = 120;

  private final Path dir;

  private Kubectl(Path dir) {
    this.dir = dir;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** A kubectl for the cluster's API server (its REST URL), namespace default. */
  static Kubectl forCluster(Cluster cluster) throws IOException {
    Path dir = Files.createTempDirectory("kubectl-e2e");
    cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    return new Kubectl(dir);
  }

  /** A kubectl with a copy of an existing kubeconfig (one that deploy/lab.sh or the API server wrote). */
  static Kubectl withKubeconfig(Path kubeconfig) throws IOException {
    Path dir = Files.createTempDirectory("kubectl-e2e");
    Files.copy(kubeconfig, dir.resolve("kubeconfig"));
    return new Kubectl(dir);
  }

  /** The private directory (tests may put manifests there; it goes with {@link #close()}). */
  Path dir() {
    return dir;
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** A kubectl process with these arguments, not started (for a watch, or an environment of its own). */
  ProcessBuilder process(String... args) {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--kubeconfig",
        dir.resolve("kubeconfig").toString(), "--cache-dir", dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", dir.toString());
    return pb;
  }

  /** Runs kubectl to its end, whatever its exit code. */
  Result run(String... args) {
    return run(process(args), null);
  }

  /** Runs kubectl with {@code stdin} (or nothing) as input, whatever its exit code. */
  Result runWithInput(String stdin, String... args) {
    return run(process(args), stdin);
  }

  /** Runs kubectl and asserts that it succeeded. */
  Result ok(String... args) {
    Result r = run(args);
    assertThat(r.exitCode()).as("kubectl " + String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  /** Runs a prepared process and asserts that it succeeded. */
  Result ok(ProcessBuilder kubectl) {
    Result r = run(kubectl, null);
    assertThat(r.exitCode()).as(String.join(" ", kubectl.command()) + "\n" + r).isZero();
    return r;
  }

  private Result run(ProcessBuilder kubectl, String stdin) {
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process p = kubectl.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", kubectl.command()) + " did not finish within "
            + TIMEOUT_SECONDS + " s; output so far:\n" + Files.readString(out) + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
