package io.minik8s.apiserver.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;

/**
 * A kubeconfig for the REST API, so that {@code kubectl --kubeconfig <file>} (or {@code KUBECONFIG}) reaches
 * this API server: one cluster, one context ({@code minik8s}), and a user with a placeholder token (minik8s
 * does not authenticate; kubectl asks for a password over HTTPS when a user has no credentials at all).
 * Over HTTPS the serving certificate is the cluster's CA, which is right for a self-signed certificate.
 */
public final class Kubeconfig {
  private Kubeconfig() {}

  /** The kubeconfig text for {@code server} ({@code http://127.0.0.1:8080}); {@code caPem} null for HTTP. */
  public static String render(String server, byte[] caPem) {
    StringBuilder out = new StringBuilder();
    out.append("apiVersion: v1\nkind: Config\nclusters:\n- name: minik8s\n  cluster:\n    server: ")
        .append(server).append('\n');
    if (caPem != null) {
      out.append("    certificate-authority-data: ").append(Base64.getEncoder().encodeToString(caPem)).append('\n');
    }
    out.append("users:\n- name: minik8s-admin\n  user:\n    token: minik8s\n")
        .append("contexts:\n- name: minik8s\n  context:\n    cluster: minik8s\n    user: minik8s-admin\n")
        .append("current-context: minik8s\n");
    return out.toString();
  }

  /**
   * Writes the kubeconfig of a REST server bound to {@code bindAddress:port} (a wildcard address becomes
   * 127.0.0.1) to {@code file}, replacing it atomically, readable by its owner only.
   */
  public static void write(Path file, RestServer.Config config, int port) throws IOException {
    String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
        ? "127.0.0.1" : config.bindAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String server = (config.tls() ? "https://" : "http://") + host + ":" + port;
    byte[] ca = config.tls() ? Files.readAllBytes(Path.of(config.tlsCertFile())) : null;
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".kubeconfig", ".tmp");
    try {
      Files.writeString(temp, render(server, ca), StandardCharsets.UTF_8);
      temp.toFile().setReadable(false, false);
      temp.toFile().setReadable(true, true);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
