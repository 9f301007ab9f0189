package io.minik8s.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.testkit.containerd.ContainerdProcess;
import io.minik8s.testkit.containerd.LocalImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The test harness's promises, checked on the host: a containerd restarted on its state still has
 * its pods; and whatever state it is in (even killed with pods running), close() leaves no bridge,
 * shim, mount, NAT rule or directory behind.
 */
class ContainerdProcessTest {

  @Test
  void restartedContainerdStillHasItsPods() {
    try (ContainerdProcess containerd = ContainerdProcess.start()) {
      String sandboxId;
      String containerId;
      try (CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(30))) {
        SandboxSpec pod = SandboxSpec.builder("survivor", "test", UUID.randomUUID().toString()).build();
        sandboxId = cri.runSandbox(pod);
        containerId = cri.createContainer(sandboxId, ContainerSpec.builder("sleep", LocalImages.BUSYBOX)
            .command("sleep", "3600").build(), pod);
        cri.startContainer(containerId);
      }

      containerd.stop();
      assertThat(containerd.isRunning()).isFalse();
      containerd.restart();

      try (CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(30))) {
        assertThat(cri.sandboxStatus(sandboxId).orElseThrow().ready()).isTrue();
        assertThat(cri.containerStatus(containerId).orElseThrow().state()).isEqualTo(ContainerState.RUNNING);
      }
    }
  }

  @Test
  void closeAfterAKillLeavesNothingOnTheHost() throws Exception {
    ContainerdProcess containerd = ContainerdProcess.start();
    Path dir = containerd.directory();
    String bridge = containerd.bridgeName();
    String socket = containerd.socketPath();
    String podIp;
    try (CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(30))) {
      SandboxSpec pod = SandboxSpec.builder("orphan", "test", UUID.randomUUID().toString()).build();
      String sandboxId = cri.runSandbox(pod);
      String httpd = cri.createContainer(sandboxId, ContainerSpec.builder("httpd", LocalImages.BUSYBOX)
          .command("httpd", "-f", "-p", "8080", "-h", "/www").build(), pod);
      cri.startContainer(httpd);
      podIp = cri.sandboxStatus(sandboxId).orElseThrow().ip();
    }

    containerd.kill();
    // As on a real node, the pod outlives its runtime.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/")).timeout(Duration.ofSeconds(2))
        .build();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).contains("hello from minik8s"));
    assertThat(shimsFor(socket)).isNotEmpty();

    containerd.close();

    assertThat(dir).doesNotExist();
    assertThat(run("ip", "link", "show", bridge)).as("bridge %s", bridge).isNotZero();
    assertThat(shimsFor(socket)).isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    assertThat(output("iptables", "-w", "-t", "nat", "-S")).doesNotContain(bridge);
  }

  private static List<Long> shimsFor(String socket) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains("containerd-shim") && cmdline.contains(socket)) {
            pids.add(Long.parseLong(proc.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return pids;
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }

  private static String output(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
