package io.minik8s.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minik8s.testkit.containerd.ContainerdProcess;
import io.minik8s.testkit.containerd.LocalImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link CriRuntime} against a real containerd (its own, through {@link ContainerdProcess}) over the
 * CRI unix socket: real sandboxes with CNI addresses, real busybox containers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriRuntimeContainerdTest {
  private static final String BUSYBOX = LocalImages.BUSYBOX;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private ContainerdProcess containerd;
  private CriRuntime cri;
  /** Every sandbox a test makes carries this label, so each test sees and removes only its own. */
  private Map<String, String> testLabel;

  @BeforeAll
  void startContainerd() {
    containerd = ContainerdProcess.start();
    cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(30));
  }

  @AfterAll
  void stopContainerd() {
    if (cri != null) {
      cri.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  @AfterEach
  void removeThisTestsPods() {
    if (testLabel != null) {
      for (SandboxSummary s : cri.listSandboxes(testLabel)) {
        cri.stopSandbox(s.id());
        cri.removeSandbox(s.id());
      }
    }
  }

  @Test
  void reportsVersionAndReadiness() {
    RuntimeVersion v = cri.version();
    assertThat(v.runtimeName()).isEqualTo("containerd");
    assertThat(v.runtimeApiVersion()).isEqualTo("v1");
    RuntimeHealth health = cri.health();
    assertThat(health.ready()).as(health.message()).isTrue();
  }

  @Test
  void localImagesArePresentWithoutPulling() {
    assertThat(cri.imagePresent(BUSYBOX)).isTrue();
    assertThat(cri.imagePresent(LocalImages.PAUSE)).isTrue();
    assertThat(cri.imageStatus(BUSYBOX).orElseThrow().repoTags()).contains(BUSYBOX);
    assertThat(cri.listImages()).flatExtracting(ImageRef::repoTags).contains(BUSYBOX, LocalImages.PAUSE);
    assertThat(cri.imageStatus("localhost/absent:latest")).isEmpty();
  }

  @Test
  void podServesHttpOnItsIpAndItsContainersShareLocalhost() throws Exception {
    SandboxSpec pod = sandbox("web");
    String sandboxId = cri.runSandbox(pod);

    SandboxInfo info = cri.sandboxStatus(sandboxId).orElseThrow();
    assertThat(info.ready()).isTrue();
    assertThat(info.name()).isEqualTo("web");
    assertThat(info.labels()).containsAllEntriesOf(testLabel);
    assertThat(inSubnet(info.ip(), containerd.subnet())).as("pod IP %s in %s", info.ip(), containerd.subnet()).isTrue();

    String httpd = run(sandboxId, pod, ContainerSpec.builder("httpd", BUSYBOX)
        .command("httpd", "-f", "-p", "8080", "-h", "/www").build());
    assertThat(cri.containerStatus(httpd).orElseThrow().state()).isEqualTo(ContainerState.RUNNING);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + info.ip() + ":8080/"))
        .timeout(Duration.ofSeconds(2)).build();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
        assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from minik8s\n"));

    // A second container of the pod reaches the first on localhost: by exec, and as its own process.
    String sidecar = run(sandboxId, pod, ContainerSpec.builder("sidecar", BUSYBOX).command("sleep", "3600").build());
    ExecResult fetched = cri.execSync(sidecar, List.of("wget", "-q", "-O-", "http://127.0.0.1:8080/"),
        Duration.ofSeconds(10));
    assertThat(fetched.exitCode()).as(fetched.stderr()).isZero();
    assertThat(fetched.stdout()).isEqualTo("hello from minik8s\n");

    String probe = run(sandboxId, pod, ContainerSpec.builder("probe", BUSYBOX)
        .command("wget", "-q", "-O-", "http://127.0.0.1:8080/").build());
    ContainerInfo probed = awaitExit(probe);
    assertThat(probed.exitCode()).isZero();
    assertThat(probed.reason()).isEqualTo("Completed");

    assertThat(cri.listContainers(ContainerFilter.inSandbox(sandboxId)))
        .extracting(ContainerSummary::name).containsExactlyInAnyOrder("httpd", "sidecar", "probe");
    assertThat(cri.listContainers(ContainerFilter.inSandbox(sandboxId).inState(ContainerState.RUNNING)))
        .extracting(ContainerSummary::name).containsExactlyInAnyOrder("httpd", "sidecar");
  }

  @Test
  void exitCodeOfAContainerIsReported() {
    SandboxSpec pod = sandbox("exits");
    String sandboxId = cri.runSandbox(pod);
    String id = run(sandboxId, pod, ContainerSpec.builder("three", BUSYBOX).command("sh", "-c", "exit 3").build());

    ContainerInfo exited = awaitExit(id);
    assertThat(exited.exitCode()).isEqualTo(3);
    assertThat(exited.reason()).isEqualTo("Error");
    // containerd stamps startedAt after the start call returns, so a process this short may have
    // "finished" before it "started": only presence is guaranteed.
    assertThat(exited.startedAt()).isNotNull();
    assertThat(exited.finishedAt()).isNotNull();
  }

  @Test
  void containerEnvironmentAndWorkingDirAreApplied() {
    SandboxSpec pod = sandbox("env");
    String sandboxId = cri.runSandbox(pod);
    String id = run(sandboxId, pod, ContainerSpec.builder("shell", BUSYBOX).command("sleep", "3600")
        .workingDir("/www").env(List.of(new ContainerSpec.EnvVar("GREETING", "hi")))
        .resources(new ContainerSpec.Resources(100_000, 50_000, 512, 64L << 20)).build());

    ExecResult r = cri.execSync(id, List.of("sh", "-c", "echo $GREETING $(pwd) $(hostname)"), Duration.ofSeconds(10));
    assertThat(r.stdout().strip()).isEqualTo("hi /www env-host");
  }

  @Test
  void stoppingAndRemovingLeavesNothingListed() {
    SandboxSpec pod = sandbox("gone");
    String sandboxId = cri.runSandbox(pod);
    String httpd = run(sandboxId, pod, ContainerSpec.builder("httpd", BUSYBOX).labels(testLabel)
        .command("httpd", "-f", "-p", "8080", "-h", "/www").build());

    cri.stopContainer(httpd, 5);
    assertThat(cri.containerStatus(httpd).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
    cri.removeContainer(httpd);
    assertThat(cri.containerStatus(httpd)).isEmpty();
    cri.stopSandbox(sandboxId);
    assertThat(cri.sandboxStatus(sandboxId).orElseThrow().state()).isEqualTo(SandboxState.NOT_READY);
    cri.removeSandbox(sandboxId);

    assertThat(cri.sandboxStatus(sandboxId)).isEmpty();
    assertThat(cri.listSandboxes(testLabel)).isEmpty();
    assertThat(cri.listContainers(ContainerFilter.withLabels(testLabel))).isEmpty();
    assertThat(cri.listContainers(ContainerFilter.inSandbox(sandboxId))).isEmpty();
    // Stop and remove are idempotent, as the CRI defines them.
    cri.stopContainer(httpd, 0);
    cri.removeContainer(httpd);
    cri.stopSandbox(sandboxId);
    cri.removeSandbox(sandboxId);
  }

  @Test
  void failuresNameTheCall() {
    SandboxSpec pod = sandbox("broken");
    String sandboxId = cri.runSandbox(pod);
    assertThatThrownBy(() -> cri.createContainer(sandboxId,
        ContainerSpec.builder("c", "localhost/absent:latest").build(), pod))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.call()).isEqualTo("CreateContainer"))
        .hasMessageContaining("CRI CreateContainer failed")
        .hasMessageContaining("localhost/absent:latest");
    assertThat(cri.containerStatus("no-such-container")).isEmpty();
    assertThat(cri.sandboxStatus("no-such-sandbox")).isEmpty();

    try (CriRuntime nowhere = CriRuntime.connect("unix://" + containerd.directory().resolve("absent.sock"),
        Duration.ofSeconds(5))) {
      assertThatThrownBy(nowhere::version)
          .isInstanceOfSatisfying(CriException.class, e -> {
            assertThat(e.call()).isEqualTo("Version");
            assertThat(e.code()).isEqualTo(CriException.Code.UNAVAILABLE);
          })
          .hasMessageContaining("absent.sock");
    }
  }

  private SandboxSpec sandbox(String name) {
    testLabel = Map.of("minik8s.io/test", UUID.randomUUID().toString());
    return SandboxSpec.builder(name, "cri-test", UUID.randomUUID().toString()).hostname(name + "-host")
        .labels(testLabel).build();
  }

  private String run(String sandboxId, SandboxSpec pod, ContainerSpec spec) {
    String id = cri.createContainer(sandboxId, spec, pod);
    cri.startContainer(id);
    return id;
  }

  private ContainerInfo awaitExit(String containerId) {
    return await().atMost(WAIT).until(() -> cri.containerStatus(containerId).orElseThrow(), ContainerInfo::exited);
  }

  private static boolean inSubnet(String ip, String cidr) {
    String[] parts = cidr.split("/");
    int mask = -1 << (32 - Integer.parseInt(parts[1]));
    return (toInt(ip) & mask) == (toInt(parts[0]) & mask);
  }

  private static int toInt(String dotted) {
    int v = 0;
    for (String o : dotted.split("\\.")) {
      v = (v << 8) | Integer.parseInt(o);
    }
    return v;
  }
}
