package io.minik8s.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where processes started by tests write their output: {@code target/test-processes/} of the module
 * under test (Maven runs tests in the module's directory), or the directory named by the system
 * property {@code minik8s.test.logs}. Kept after the run so a failure can be read afterwards.
 */
public final class TestLogs {
  public static final String DIRECTORY_PROPERTY = "minik8s.test.logs";

  private TestLogs() {}

  public static Path directory() {
    Path dir = Paths.get(System.getProperty(DIRECTORY_PROPERTY, "target/test-processes")).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** A log file for {@code name}: {@code <directory>/<name>.log}. */
  public static Path file(String name) {
    return directory().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
  }
}
