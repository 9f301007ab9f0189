package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Container;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bin/hollow-nodes} as a real process against a real API server and etcd: its nodes register
 * and become Ready with their own pod CIDRs and IPs and keep their Leases, a pod bound to one of them
 * runs with an IP from that node's CIDR, deleting it completes, and SIGTERM ends the process cleanly.
 * No scheduler runs: the test binds pods itself ({@code spec.nodeName}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HollowNodesE2ETest {
  private static final int NODES = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Cluster cluster;
  private ApiClient client;
  private ProcessRunner hollow;
  private int health;

  @BeforeAll
  void start() {
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    health = FreePorts.one();
    hollow = cluster.startProcess(ProcessRunner.javaMain(Cluster.jar("kubelet", "kubelet"),
            "io.minik8s.kubelet.hollow.HollowNodesMain", "--count", Integer.toString(NODES), "--apiserver",
            cluster.server(), "--health-port", Integer.toString(health), "--health-bind-address", "127.0.0.1",
            "--lease-renew-interval", "1s")
        .name("hollow-nodes").jvmOptions("-Xmx128m", "-XX:+UseSerialGC"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeRegistersAndIsReadyWithItsOwnCidrAndAddress() {
    await().atMost(WAIT).until(() -> readyNodes().size() == NODES);
    List<Node> nodes = client.list(Kinds.NODE, ListOptions.ALL).items();
    assertThat(nodes).extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("hollow-node-0", "hollow-node-1", "hollow-node-2", "hollow-node-3", "hollow-node-4");
    Node n3 = client.get(Kinds.NODE, "", "hollow-node-3");
    assertThat(n3.getSpec().getPodCidr()).isEqualTo("10.64.3.0/24");
    assertThat(n3.getStatus().getAddressesList()).extracting(NodeAddress::getAddress).contains("172.20.0.4");
    assertThat(n3.getStatus().getCapacityMap()).containsEntry("cpu", "4").containsEntry("memory", "16777216Ki")
        .containsEntry("pods", "110");
    assertThat(nodes.stream().map(n -> n.getSpec().getPodCidr()).collect(Collectors.toSet())).hasSize(NODES);

    Lease lease = client.get(Kinds.LEASE, "kube-node-lease", "hollow-node-3");
    long renewed = lease.getSpec().getRenewTime().getSeconds();
    await().atMost(WAIT).until(() -> client.get(Kinds.LEASE, "kube-node-lease", "hollow-node-3")
        .getSpec().getRenewTime().getSeconds() > renewed);
  }

  @Test
  @Order(2)
  void theProcessServesHealthReadinessAndTotalsAsMetrics() throws Exception {
    await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("hollow_nodes_registered " + NODES + ".0").contains("jvm_threads_live_threads")
        .doesNotContain("kubelet_running_pods");
  }

  @Test
  @Order(3)
  void aPodBoundToAHollowNodeRunsWithAnIpOfItsCidrAndItsDeletionCompletes() {
    client.create(Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default"))
        .setSpec(PodSpec.newBuilder().setNodeName("hollow-node-2").addContainers(Container.newBuilder()
            .setName("c").setImage("registry.k8s.io/pause:3.9")))
        .build());

    await().atMost(WAIT).until(() -> client.get(Kinds.POD, "default", "web").getStatus().getPhase().equals("Running"));
    Pod running = client.get(Kinds.POD, "default", "web");
    assertThat(running.getStatus().getPodIp()).startsWith("10.64.2.");
    assertThat(running.getStatus().getHostIp()).isEqualTo("172.20.0.3");
    assertThat(running.getStatus().getContainerStatuses(0).getReady()).isTrue();
    await().atMost(WAIT).until(() -> get("/metrics").body().contains("hollow_nodes_running_pods 1.0"));

    client.delete(Kinds.POD, "default", "web");
    await().atMost(WAIT).until(() -> client.find(Kinds.POD, "default", "web").isEmpty());
    await().atMost(WAIT).until(() -> get("/metrics").body().contains("hollow_nodes_running_pods 0.0"));
  }

  @Test
  @Order(4)
  void sigtermEndsTheProcessCleanly() {
    hollow.stop(Duration.ofSeconds(30));

    assertThat(hollow.isAlive()).isFalse();
    assertThat(hollow.logTail(50)).contains("shutdown complete");
  }

  private Set<String> readyNodes() {
    return client.list(Kinds.NODE, ListOptions.ALL).items().stream()
        .filter(n -> n.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
