package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Pod;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.cri.CriRuntime;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 3's promise from a user's seat: the whole path with real processes — API server on etcd,
 * scheduler, kubelet on a real containerd — driven by bin/mkctl with a manifest written as for Kubernetes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeE2ETest {
  static final String NODE = "e2e-node";
  private static ContainerdProcess containerd;
  private static Cluster cluster;

  @BeforeAll
  static void start() throws Exception {
    containerd = ContainerdProcess.start();
    cluster = Cluster.startControlPlane();
    List<Integer> ports = FreePorts.take(3);
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(ports.get(0)));
    ProcessRunner kubelet = cluster.startComponent("kubelet", "kubelet", "--apiserver", cluster.server(),
        "--node-name", NODE, "--node-ip", "127.0.0.1", "--container-runtime-endpoint", containerd.endpoint(),
        "--pod-cidr", containerd.subnet(), "--health-port", Integer.toString(ports.get(1)),
        "--log-port", Integer.toString(ports.get(2)),
        "--pod-log-dir", Files.createTempDirectory("e2e-pod-logs").toString());
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(0) + "/readyz"), Duration.ofSeconds(60));
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(1) + "/healthz"), Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.mkctl("get", "node", NODE, "--no-headers")
        .stdout().matches("(?s)" + NODE + "\\s+Ready\\s.*"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  @Order(1)
  void aPodWrittenAsForKubernetesRunsAndServesHttpOnItsIp() throws Exception {
    Cluster.Result apply = cluster.mkctl("apply", "-f", Cluster.ROOT.resolve("examples/pod.yaml").toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> cluster.client().get(Kinds.POD, "default", "web").getStatus().getPhase().equals("Running"));
    Pod pod = cluster.client().get(Kinds.POD, "default", "web");
    assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
    String ip = pod.getStatus().getPodIp();
    assertThat(ip).startsWith(containerd.subnet().substring(0, containerd.subnet().lastIndexOf('.')));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(
        HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString()).body().contains("hello from minik8s"));

    Cluster.Result wide = cluster.mkctl("get", "pods", "-o", "wide");
    assertThat(wide.stdout()).containsPattern("web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+" + ip.replace(".", "\\.")
        + "\\s+" + NODE);
  }

  @Test
  @Order(2)
  void mkctlLogsShowsWhatTheContainerPrinted() {
    await().atMost(Duration.ofSeconds(20))
        .until(() -> cluster.mkctl("logs", "web").stdout().contains("serving on 8080"));
    Cluster.Result tail = cluster.mkctl("logs", "web", "--tail", "1", "-c", "httpd");
    assertThat(tail.exitCode()).as(tail.toString()).isZero();
    Cluster.Result noSuch = cluster.mkctl("logs", "web", "-c", "nope");
    assertThat(noSuch.exitCode()).isEqualTo(1);
    assertThat(noSuch.stderr()).contains("container nope is not valid for pod web");
  }

  @Test
  @Order(3)
  void deletingThePodLeavesNoSandbox() throws Exception {
    Cluster.Result delete = cluster.mkctl("delete", "pod", "web", "--grace-period", "1");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(cluster.client().find(Kinds.POD, "default", "web")).isEmpty();
    try (CriRuntime cri = CriRuntime.connect(containerd.endpoint(), Duration.ofSeconds(10))) {
      await().atMost(Duration.ofSeconds(20)).until(() ->
          cri.listSandboxes(Map.of("io.kubernetes.pod.name", "web")).isEmpty());
    }
  }
}
