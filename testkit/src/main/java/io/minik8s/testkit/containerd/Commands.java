package io.minik8s.testkit.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, iptables, umount, runc, the deploy scripts) and captures their output. */
final class Commands {
  private Commands() {
  }

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** PATH for child processes: the JVM's plus the sbin directories where ip, iptables and runc live. */
  static String path() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return path + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
  }

  /** Runs a command; stdout and stderr together. Never throws for a non-zero exit. */
  static Result run(List<String> command, Duration timeout) {
    Path out = null;
    try {
      out = Files.createTempFile("m8s-cmd-", ".out");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().put("PATH", path());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted: " + String.join(" ", command));
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  static Result run(String... command) {
    return run(List.of(command), Duration.ofSeconds(30));
  }

  /** Runs a command and returns its output; throws if it fails. */
  static String check(List<String> command, Duration timeout) {
    Result r = run(command, timeout);
    if (!r.ok()) {
      throw new IllegalStateException("command failed (exit " + r.exitCode() + "): " + String.join(" ", command)
          + "\n" + r.output());
    }
    return r.output();
  }

  static void writeString(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
