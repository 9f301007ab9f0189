package io.minik8s.testkit.containerd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The local images' tarballs, built once per machine by {@code deploy/images/build.sh} into
 * {@code /var/tmp/minik8s-images/<key>/}, where the key hashes the script and the busybox binary: a
 * changed script or busybox gets a fresh build, an unchanged one is reused. Safe to call from several
 * JVMs at once (the script renames finished tarballs into place).
 */
public final class LocalImages {
  public static final String BUSYBOX = "localhost/busybox:latest";
  public static final String PAUSE = "localhost/pause:latest";
  public static final Path CACHE = Path.of("/var/tmp/minik8s-images");
  private static final Path BUSYBOX_BINARY = Path.of("/usr/bin/busybox");

  private LocalImages() {
  }

  /** The directory holding busybox.tar and pause.tar, building them if they are missing. */
  public static synchronized Path ensureBuilt() {
    Path script = RepoScripts.script("deploy/images/build.sh");
    if (!Files.isExecutable(BUSYBOX_BINARY)) {
      throw new IllegalStateException(BUSYBOX_BINARY + " is missing: install busybox-static (deploy/install-deps.sh)");
    }
    Path dir = CACHE.resolve(key(script));
    if (!Files.isRegularFile(dir.resolve("busybox.tar")) || !Files.isRegularFile(dir.resolve("pause.tar"))) {
      Commands.check(List.of(script.toString(), "--out", dir.toString()), Duration.ofMinutes(2));
    }
    return dir;
  }

  private static String key(Path script) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(script));
      try (InputStream in = Files.newInputStream(BUSYBOX_BINARY)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
