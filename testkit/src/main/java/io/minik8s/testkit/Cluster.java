package io.minik8s.testkit;

import io.minik8s.client.api.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minik8s control plane made of real processes for end-to-end tests and benchmarks: a real etcd and the shaded jars
 * of our components, each a separate JVM with a small heap, on free loopback ports. Later components
 * (scheduler, kubelet, ...) are started the same way through {@link #startComponent}.
 */
public final class Cluster implements AutoCloseable {
  /** The checkout's root (set by the e2e module's failsafe configuration). */
  public static final Path ROOT = Paths.get(System.getProperty("minik8s.root", "..")).toAbsolutePath().normalize();

  private final EtcdProcess etcd;
  private final List<ProcessRunner> processes = new ArrayList<>();
  private final List<String> apiServerJvmOptions;
  private ProcessRunner apiServer;
  private int apiPort;
  private int apiHealthPort;
  private int apiHttpPort;
  private ApiClient client;

  private Cluster(EtcdProcess etcd, List<String> apiServerJvmOptions) {
    this.etcd = etcd;
    this.apiServerJvmOptions = List.copyOf(apiServerJvmOptions);
  }

  /** etcd and one API server, ready to serve. */
  public static Cluster startControlPlane() {
    return startControlPlane(List.of("-Xmx256m", "-XX:+UseSerialGC"));
  }

  /** The same with the API server's JVM options of the caller's choice (benchmarks at scale need more heap). */
  public static Cluster startControlPlane(List<String> apiServerJvmOptions) {
    Cluster c = new Cluster(EtcdProcess.started(), apiServerJvmOptions);
    c.startApiServer();
    return c;
  }

  public static Path jar(String module, String name) {
    Path jar = ROOT.resolve(module).resolve("target").resolve(name + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the e2e tests run after `mvn package` of every module");
    }
    return jar;
  }

  /** Starts (or restarts, after a kill) the API server process on its ports. */
  public synchronized void startApiServer() {
    if (apiServer == null) {
      List<Integer> ports = FreePorts.take(3);
      apiPort = ports.get(0);
      apiHealthPort = ports.get(1);
      apiHttpPort = ports.get(2);
      apiServer = ProcessRunner.javaJar(jar("apiserver", "apiserver"),
              "--etcd-servers", etcd.endpoint(), "--port", Integer.toString(apiPort),
              "--health-port", Integer.toString(apiHealthPort), "--http-port", Integer.toString(apiHttpPort),
              "--bind-address", "127.0.0.1",
              "--health-bind-address", "127.0.0.1")
          .name("apiserver").jvmOptions(apiServerJvmOptions.toArray(String[]::new)).build();
      processes.add(apiServer);
    }
    apiServer.start();
    apiServer.awaitHttpOk(URI.create("http://127.0.0.1:" + apiHealthPort + "/readyz"), Duration.ofSeconds(60));
  }

  /** Starts another component's jar as a process pointed at the API server; the caller waits for it. */
  public ProcessRunner startComponent(String module, String jarName, String... args) {
    return startNamedComponent(jarName, module, jarName, args);
  }

  /** Like {@link #startComponent}, with a name of its own for the log file (two schedulers, three kubelets). */
  public ProcessRunner startNamedComponent(String name, String module, String jarName, String... args) {
    ProcessRunner p = ProcessRunner.javaJar(jar(module, jarName), args)
        .name(name).jvmOptions("-Xmx192m", "-XX:+UseSerialGC").build();
    processes.add(p);
    return p.start();
  }

  /** Starts a process of the caller's making (own JVM options, another main class); closed with the cluster. */
  public ProcessRunner startProcess(ProcessRunner.Builder builder) {
    ProcessRunner p = builder.build();
    processes.add(p);
    return p.start();
  }

  public ProcessRunner apiServer() {
    return apiServer;
  }

  public EtcdProcess etcd() {
    return etcd;
  }

  /** {@code host:port} of the API server's gRPC endpoint. */
  public String server() {
    return "127.0.0.1:" + apiPort;
  }

  public int apiHealthPort() {
    return apiHealthPort;
  }

  /** The URL of the API server's Kubernetes REST API (what kubectl talks to). */
  public String restUrl() {
    return "http://127.0.0.1:" + apiHttpPort;
  }

  public synchronized ApiClient client() {
    if (client == null) {
      client = ApiClient.connect(server());
    }
    return client;
  }

  /**
   * Writes a kubeconfig for the REST API to {@code file}: one cluster, context and user (minik8s does not
   * authenticate), what kubectl and Kubernetes' client libraries read.
   *
   * @return {@code file}
   */
  public Path writeKubeconfig(Path file) throws IOException {
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: minik8s
          cluster:
            server: %s
        users:
        - name: admin
          user: {}
        contexts:
        - name: minik8s
          context:
            cluster: minik8s
            user: admin
        current-context: minik8s
        """.formatted(restUrl()), StandardCharsets.UTF_8);
    return file;
  }

  /** Runs {@code bin/mkctl} against this cluster and waits for it. */
  public Result mkctl(String... args) {
    return mkctlWithInput(null, args);
  }

  /** Runs {@code bin/mkctl} with {@code stdin} as standard input. */
  public Result mkctlWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin").resolve("mkctl").toString());
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("MINIK8S_SERVER", server());
      Path out = Files.createTempFile("mkctl-out", ".txt");
      Path err = Files.createTempFile("mkctl-err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("mkctl " + String.join(" ", args) + " did not finish within 60 s");
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts {@code bin/mkctl} without waiting (for {@code get -w}); output goes to {@code out}. */
  public Process mkctlInBackground(Path out, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin").resolve("mkctl").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("MINIK8S_SERVER", server());
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    return pb.start();
  }

  /** What a finished mkctl printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    etcd.close();
  }
}
