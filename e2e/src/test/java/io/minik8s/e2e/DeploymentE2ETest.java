package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Deployment;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Lease;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4 with real containers: two nodes (a kubelet and a containerd each), the scheduler and two
 * controller-managers (one leads), all separate processes, driven through bin/mkctl with a Deployment
 * written as for Kubernetes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentE2ETest {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String MANIFEST = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        strategy:
          rollingUpdate:
            maxSurge: 1
            maxUnavailable: 1
        template:
          metadata:
            labels:
              app: web
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: localhost/busybox:latest
              imagePullPolicy: IfNotPresent
              command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
              env:
              - name: VERSION
                value: "%s"
              ports:
              - name: http
                containerPort: 8080
              readinessProbe:
                tcpSocket:
                  port: http
                periodSeconds: 1
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          app: web
        ports:
        - port: 80
          targetPort: http
      """;

  private static Cluster cluster;
  private static ApiClient client;
  private static final Map<String, ContainerdProcess> containerds = new HashMap<>();
  private static final Map<String, ProcessRunner> kubelets = new HashMap<>();
  private static final Map<String, ProcessRunner> controllerManagers = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    List<Integer> ports = FreePorts.take(7);
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(ports.get(0)));
    for (String id : List.of("a", "b")) {
      int health = ports.get(id.equals("a") ? 1 : 2);
      ProcessRunner cm = cluster.startNamedComponent("controller-manager-" + id, "controller-manager",
          "controller-manager", "--apiserver", cluster.server(), "--identity", "cm-" + id,
          "--health-port", Integer.toString(health), "--node-monitor-grace-period", "20s",
          "--pod-eviction-timeout", "2s"); // grace above the kubelets' 10 s heartbeats
      controllerManagers.put("cm-" + id, cm);
      cm.awaitHttpOk(URI.create("http://127.0.0.1:" + health + "/healthz"), Duration.ofSeconds(60));
    }
    for (String node : List.of("node-1", "node-2")) {
      ContainerdProcess containerd = ContainerdProcess.start();
      containerds.put(node, containerd);
      int health = ports.get(node.equals("node-1") ? 3 : 4);
      int logs = ports.get(node.equals("node-1") ? 5 : 6);
      ProcessRunner kubelet = cluster.startNamedComponent("kubelet-" + node, "kubelet", "kubelet",
          "--apiserver", cluster.server(), "--node-name", node, "--node-ip", "127.0.0.1",
          "--container-runtime-endpoint", containerd.endpoint(), "--pod-cidr", containerd.subnet(),
          "--health-port", Integer.toString(health), "--log-port", Integer.toString(logs),
          "--pod-log-dir", Files.createTempDirectory("e2e-logs-" + node).toString());
      kubelets.put(node, kubelet);
    }
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(0) + "/readyz"), Duration.ofSeconds(60));
    await().atMost(WAIT).until(() -> client.list(Kinds.NODE, ListOptions.ALL).items().stream()
        .filter(n -> n.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).count() == 2);
  }

  @AfterAll
  static void stop() {
    kubelets.values().forEach(ProcessRunner::close);
    controllerManagers.values().forEach(ProcessRunner::close);
    if (cluster != null) {
      cluster.close();
    }
    containerds.values().forEach(ContainerdProcess::close);
  }

  static List<Pod> pods() {
    return client.list(Kinds.POD, ListOptions.inNamespace(NS)).items().stream()
        .filter(p -> !p.getMetadata().hasDeletionTimestamp()).toList();
  }

  static boolean ready(Pod p) {
    return p.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  static List<Pod> readyPods() {
    return pods().stream().filter(DeploymentE2ETest::ready).toList();
  }

  static Cluster.Result apply(String version) {
    Cluster.Result r = cluster.mkctlWithInput(MANIFEST.formatted(version), "apply", "-f", "-");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  static String version(Pod p) {
    return p.getSpec().getContainers(0).getEnvList().stream().filter(e -> e.getName().equals("VERSION"))
        .findFirst().orElseThrow().getValue();
  }

  @Test
  @Order(1)
  void aDeploymentOfThreeGivesThreeRunningContainersAndEndpoints() {
    apply("v1");
    Cluster.Result status = cluster.mkctl("rollout", "status", "deployment/web", "-n", NS, "--timeout", "90s");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(readyPods()).hasSize(3).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    Set<String> ips = readyPods().stream().map(p -> p.getStatus().getPodIp()).collect(Collectors.toCollection(TreeSet::new));
    await().atMost(WAIT).untilAsserted(() -> {
      Endpoints ep = client.get(Kinds.ENDPOINTS, NS, "web");
      assertThat(ep.getSubsetsList()).hasSize(1);
      Set<String> listed = ep.getSubsets(0).getAddressesList().stream().map(a -> a.getIp())
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(listed).isEqualTo(ips);
      assertThat(ep.getSubsets(0).getPorts(0).getPort()).isEqualTo(8080);
    });
    Cluster.Result endpoints = cluster.mkctl("get", "endpoints", "-n", NS);
    assertThat(endpoints.stdout()).contains(":8080");
  }

  @Test
  @Order(2)
  void aDeletedPodIsReplaced() {
    Pod victim = readyPods().get(0);
    assertThat(cluster.mkctl("delete", "pod", victim.getMetadata().getName(), "-n", NS).exitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(3)
        .noneMatch(p -> p.getMetadata().getUid().equals(victim.getMetadata().getUid())));
  }

  @Test
  @Order(3)
  void aTemplateChangeRollsOutNeverBelowReplicasMinusMaxUnavailable() throws Exception {
    Map<String, Integer> fewestReady = new ConcurrentHashMap<>(Map.of("min", 3));
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          fewestReady.merge("min", readyPods().size(), Math::min);
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // a failed poll is not a measurement
        }
      }
    });
    watcher.start();
    try {
      apply("v2");
      Cluster.Result status = cluster.mkctl("rollout", "status", "deployment/web", "-n", NS, "--timeout", "120s");
      assertThat(status.exitCode()).as(status.toString()).isZero();
    } finally {
      watcher.interrupt();
      watcher.join();
    }
    assertThat(readyPods()).hasSize(3).allSatisfy(p -> assertThat(version(p)).isEqualTo("v2"));
    assertThat(fewestReady.get("min")).as("ready pods never below replicas - maxUnavailable").isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(4)
  void rolloutUndoGoesBack() {
    Cluster.Result undo = cluster.mkctl("rollout", "undo", "deployment/web", "-n", NS);
    assertThat(undo.exitCode()).as(undo.toString()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(3)
        .allSatisfy(p -> assertThat(version(p)).isEqualTo("v1")));
  }

  @Test
  @Order(5)
  void scaleToZeroAndBack() {
    assertThat(cluster.mkctl("scale", "deploy/web", "-n", NS, "--replicas", "0").exitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.list(Kinds.POD, ListOptions.inNamespace(NS)).items()).isEmpty());
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(client.get(Kinds.ENDPOINTS, NS, "web").getSubsetsList()).isEmpty());
    assertThat(cluster.mkctl("scale", "deploy/web", "-n", NS, "--replicas", "3").exitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(3));
  }

  @Test
  @Order(6)
  void whenTheLeadingControllerManagerDiesTheOtherTakesOverAndNothingIsDuplicated() {
    String leader = client.get(Kinds.LEASE, "kube-system", "minik8s-controller-manager").getSpec().getHolderIdentity();
    controllerManagers.get(leader).kill();
    String other = leader.equals("cm-a") ? "cm-b" : "cm-a";
    await().atMost(Duration.ofSeconds(40)).until(() ->
        client.get(Kinds.LEASE, "kube-system", "minik8s-controller-manager").getSpec().getHolderIdentity().equals(other));
    assertThat(cluster.mkctl("scale", "deploy/web", "-n", NS, "--replicas", "4").exitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(4));
    // Settled: exactly the declared number, no duplicate ReplicaSet for the same template.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pods()).hasSize(4));
    Deployment d = client.get(Kinds.DEPLOYMENT, NS, "web");
    assertThat(client.list(Kinds.REPLICA_SET, ListOptions.inNamespace(NS)).items().stream()
        .filter(rs -> rs.getSpec().getReplicas() > 0)).hasSize(1);
    assertThat(d.getStatus().getReplicas()).isEqualTo(4);
  }

  @Test
  @Order(7)
  void aNodeWhoseKubeletDiesIsNotReadyAndItsPodsAreReplacedOnTheOtherNode() {
    Map<String, Long> perNode = pods().stream().collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(),
        Collectors.counting()));
    String victim = perNode.getOrDefault("node-1", 0L) >= perNode.getOrDefault("node-2", 0L) ? "node-1" : "node-2";
    String survivor = victim.equals("node-1") ? "node-2" : "node-1";
    kubelets.get(victim).kill();
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.get(Kinds.NODE, "", victim).getStatus()
        .getConditionsList()).anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=Unknown")));
    Cluster.Result nodes = cluster.mkctl("get", "nodes");
    assertThat(nodes.stdout()).containsPattern(victim + "\\s+NotReady");
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(4)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(survivor)));
  }
}
