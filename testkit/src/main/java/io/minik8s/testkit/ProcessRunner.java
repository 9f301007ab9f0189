package io.minik8s.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One child process started by a test: a command or {@code java -jar}, its stdout and stderr appended
 * to one log file, with waits for a log line or an HTTP 200 and stop (SIGTERM) / kill (SIGKILL).
 *
 * <p>{@link #start()} may be called again after the process ended: same command, same log file (the
 * new run's output is appended, and log waits only look at the current run's output).
 *
 * <p>Thread-safe: the lifecycle methods are synchronized; the waits only read the log file.
 */
public final class ProcessRunner implements AutoCloseable {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path directory;
  private final Path logFile;
  private Process process;
  private volatile long logStart;

  private ProcessRunner(Builder b) {
    this.name = b.name;
    this.command = List.copyOf(b.command);
    this.environment = Map.copyOf(b.environment);
    this.directory = b.directory;
    this.logFile = b.logFile != null ? b.logFile : TestLogs.file(b.name);
  }

  /** A process running {@code command} (the first element is the executable). */
  public static Builder command(String... command) {
    return new Builder(Arrays.asList(command));
  }

  /**
   * {@code java <jvmOptions> -jar <jar> <args>} with the JDK running the tests. Pass heap limits in
   * {@link Builder#jvmOptions}: the build machines have two cores and many JVMs.
   */
  public static Builder javaJar(Path jar, String... args) {
    Builder b = new Builder(List.of());
    b.jar = jar;
    b.jarArgs = List.of(args);
    b.name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
    return b;
  }

  /**
   * {@code java <jvmOptions> -cp <jar> <mainClass> <args>}: another main class of a component's jar (the
   * kubelet's jar runs {@code bin/hollow-nodes} too).
   */
  public static Builder javaMain(Path jar, String mainClass, String... args) {
    Builder b = javaJar(jar, args);
    b.mainClass = mainClass;
    return b;
  }

  /** Builds a {@link ProcessRunner}; nothing runs until {@link ProcessRunner#start()}. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path jar;
    private String mainClass;
    private List<String> jarArgs = List.of();
    private String name;
    private Path directory;
    private Path logFile;

    private Builder(List<String> command) {
      this.command = new ArrayList<>(command);
      this.name = command.isEmpty() ? "process" : Paths.get(command.get(0)).getFileName().toString();
    }

    /** Names the process in messages and in its default log file. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Default: {@link TestLogs#file(String)} of the name. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** For {@link #javaJar}: options before {@code -jar}, such as {@code -Xmx128m}. */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(Arrays.asList(options));
      return this;
    }

    public ProcessRunner build() {
      if (jar != null) {
        command.clear();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (mainClass == null) {
          command.add("-jar");
          command.add(jar.toString());
        } else {
          command.add("-cp");
          command.add(jar.toString());
          command.add(mainClass);
        }
        command.addAll(jarArgs);
      }
      if (command.isEmpty()) {
        throw new IllegalStateException("no command");
      }
      return new ProcessRunner(this);
    }

    /** Builds and starts. */
    public ProcessRunner start() {
      return build().start();
    }
  }

  /** Starts the process (again, when it has ended). Fails if it is running. */
  public synchronized ProcessRunner start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      if (directory != null) {
        pb.directory(directory.toFile());
      }
      pb.environment().putAll(environment);
      process = pb.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public String name() {
    return name;
  }

  public List<String> commandLine() {
    return command;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized long pid() {
    requireStarted();
    return process.pid();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Sends SIGTERM and waits up to {@code grace} for the process to exit, then SIGKILL.
   *
   * @return the exit code, or -1 when it was never started
   */
  public int stop(Duration grace) {
    Process p = current();
    if (p == null) {
      return -1;
    }
    p.destroy();
    try {
      if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return p.exitValue();
      }
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  /** Sends SIGKILL to the process (and its descendants) and waits for it to be gone. */
  public int kill() {
    Process p = current();
    if (p == null) {
      return -1;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + name, e);
    }
  }

  /** Waits for the process to exit on its own; returns its exit code. */
  public int waitForExit(Duration timeout) {
    Process p = current();
    requireStarted();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + "\n" + logTail(40));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the current run's output contains a line matching {@code regex} (found anywhere in the line). */
  public void awaitLogLine(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    awaitCondition("a log line matching /" + regex + "/", timeout,
        () -> currentRunOutput().lines().anyMatch(l -> pattern.matcher(l).find()));
  }

  /** Waits until {@code GET url} answers 200. */
  public void awaitHttpOk(URI url, Duration timeout) {
    awaitCondition("HTTP 200 from " + url, timeout, () -> httpOk(url));
  }

  /**
   * Polls {@code condition} until it holds, failing early (with the log tail) when the process exits
   * and with the log tail when {@code timeout} passes.
   */
  public void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      Process p = current();
      if (p == null || !p.isAlive()) {
        throw new AssertionError(name + " exited (" + (p == null ? "never started" : "code " + p.exitValue())
            + ") while waiting for " + what + "\n" + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + ": " + what + " not seen within " + timeout + "\n" + logTail(40));
      }
      pause();
    }
  }

  /** The last {@code lines} lines of the log file (all runs), for failure messages. */
  public String logTail(int lines) {
    try {
      if (!Files.exists(logFile)) {
        return "(no log at " + logFile + ")";
      }
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return "--- last lines of " + logFile + " ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) if it runs. The log file stays. */
  @Override
  public void close() {
    if (isAlive()) {
      stop(Duration.ofSeconds(10));
    }
  }

  @Override
  public String toString() {
    return name + (isAlive() ? " (pid " + pid() + ")" : " (not running)");
  }

  static boolean httpOk(URI url) {
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<Void> response = client.send(
          HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private String currentRunOutput() {
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.min(logStart, f.length());
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE, f.length() - start)];
      f.seek(start);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private synchronized Process current() {
    return process;
  }

  private void requireStarted() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
  }
}
