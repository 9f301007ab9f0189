package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
  @Test
  void aWildcardBindAddressIsReachedOnLoopback(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/kubeconfig");
    Kubeconfig.write(file, new RestServer.Config("0.0.0.0", 0, "", "", "v"), 8080);
    String text = Files.readString(file);
    assertThat(text).contains("    server: http://127.0.0.1:8080\n", "current-context: minik8s\n", "token: minik8s")
        .doesNotContain("certificate-authority-data");
    assertThat(Files.getPosixFilePermissions(file)).containsOnly(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    assertThat(Files.list(file.getParent())).hasSize(1);
  }

  @Test
  void overHttpsTheServingCertificateIsTheAuthority(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
    Path file = dir.resolve("kubeconfig");
    Kubeconfig.write(file, new RestServer.Config("10.0.0.5", 0, cert.toString(), "key", "v"), 6443);
    assertThat(Files.readString(file)).contains("server: https://10.0.0.5:6443\n",
        "certificate-authority-data: " + Base64.getEncoder().encodeToString(Files.readAllBytes(cert)));
  }
}
