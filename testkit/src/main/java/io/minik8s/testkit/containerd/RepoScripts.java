package io.minik8s.testkit.containerd;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's deploy scripts, so tests use exactly what users run. The repository root is
 * the nearest directory above the working directory that holds {@code deploy/images/build.sh}, or the
 * system property {@code minik8s.repo}.
 */
final class RepoScripts {
  private RepoScripts() {
  }

  static Path root() {
    String configured = System.getProperty("minik8s.repo");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("deploy/images/build.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the minik8s repository (deploy/images/build.sh) above "
        + Path.of("").toAbsolutePath() + "; set -Dminik8s.repo=/path/to/minik8s");
  }

  static Path script(String relative) {
    Path script = root().resolve(relative);
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("missing or not executable: " + script);
    }
    return script;
  }
}
