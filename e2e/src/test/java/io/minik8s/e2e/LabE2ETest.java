package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minik8s.api.Endpoints;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The multi-node lab as a user runs it: {@code deploy/lab.sh} itself starts a control plane on the host
 * and nodes in network namespaces, each with its own containerd, kubelet and kube-proxy. First one
 * control plane and two nodes (spreading, pod-to-pod across nodes, NodePorts on both nodes, a partition
 * and its healing), then three control planes and one node (a pod is still scheduled and runs after the
 * leading scheduler, an API server and an etcd member are killed). After each lab, {@code lab.sh down}
 * must leave nothing behind on the host. Runs as root.
 *
 * <p>The lab here has settings of its own (state directory, namespaces, bridge, subnets, ports: see
 * {@link LabScript}) and quick node-failure timing: kubelets post status every 3 s, a node is Unknown
 * after 12 s of silence and its pods are evicted 2 s later.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class LabE2ETest {
  private static final Duration UP = Duration.ofMinutes(4);
  private static final Duration DOWN = Duration.ofMinutes(2);
  private static final Duration SHORT = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NS = "lab";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static LabScript newLab() {
    return new LabScript(Path.of("/var/tmp/minik8s-lab-e2e"), "m8s-e2e", "m8se2e0", "172.31.254", "10.246",
        Map.ofEntries(
            Map.entry("MINIK8S_LAB_CONTROLLER_MANAGER_FLAGS", "--node-monitor-grace-period 12s --pod-eviction-timeout 2s"),
            Map.entry("MINIK8S_LAB_KUBELET_FLAGS", "--node-status-update-frequency 3s"),
            Map.entry("MINIK8S_APISERVER_HEAP", "192m"),
            Map.entry("MINIK8S_SCHEDULER_HEAP", "96m"),
            Map.entry("MINIK8S_CONTROLLER_MANAGER_HEAP", "128m"),
            Map.entry("MINIK8S_DNS_HEAP", "96m"),
            Map.entry("MINIK8S_KUBELET_HEAP", "128m"),
            Map.entry("MINIK8S_KUBE_PROXY_HEAP", "96m"),
            Map.entry("MINIK8S_JAVA_OPTS", "-XX:TieredStopAtLevel=1")));
  }

  /** Starts from a clean host: a lab a crashed earlier run left behind is taken down first. */
  private static LabScript cleanLab() {
    LabScript lab = newLab();
    if (Files.exists(lab.state()) || !lab.leftovers().isEmpty()) {
      lab.run(DOWN, "down");
    }
    assertThat(lab.leftovers()).as("left on the host by an earlier lab").isEmpty();
    return lab;
  }

  private static void downAndAssertClean(LabScript lab, ApiClient client) {
    if (client != null) {
      client.close();
    }
    if (lab == null) {
      return;
    }
    LabScript.Result down = lab.run(DOWN, "down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(lab.leftovers()).as("left on the host after lab.sh down").isEmpty();
  }

  @Nested
  @Order(1)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class OneControlPlaneTwoNodes {
    private LabScript lab;
    private ApiClient client;

    @BeforeAll
    void up() {
      lab = cleanLab();
      lab.ok(UP, "up", "--nodes", "2", "--control-planes", "1");
      client = ApiClient.connect(lab.apiServers(1));
    }

    @AfterAll
    void down() {
      downAndAssertClean(lab, client);
    }

    @Test
    @Order(1)
    void bothNodesAreReadyAtTheirLabAddressesAndStatusShowsEveryProcess() {
      List<Node> nodes = client.list(Kinds.NODE, ListOptions.ALL).items();
      assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("node1", "node2");
      for (Node n : nodes) {
        int i = Integer.parseInt(n.getMetadata().getName().substring(4));
        assertThat(n.getStatus().getAddressesList()).anySatisfy(a -> assertThat(a.getAddress()).isEqualTo(lab.nodeIp(i)));
        assertThat(n.getSpec().getPodCidr()).isEqualTo(lab.podCidrPrefix(i) + "0/24");
      }
      LabScript.Result status = lab.ok(SHORT, "status");
      assertThat(status.output())
          .containsPattern("node1\\s+Ready").containsPattern("node2\\s+Ready")
          .containsPattern("etcd-1\\s+running").containsPattern("apiserver-1\\s+running")
          .containsPattern("scheduler-1\\s+running").containsPattern("controller-manager-1\\s+running")
          .containsPattern("dns\\s+running")
          .containsPattern("node2-containerd\\s+running").containsPattern("node2-kubelet\\s+running")
          .containsPattern("node2-kube-proxy\\s+running")
          .contains(lab.state().resolve("logs/node2-kubelet.log").toString());
    }

    @Test
    @Order(2)
    void kubectlReachesTheLabThroughTheKubeconfigOfApiServerOne() throws Exception {
      Path kubeconfig = lab.state().resolve("kubeconfig");
      assertThat(lab.ok(SHORT, "env").output()).contains("export KUBECONFIG=" + kubeconfig);
      assertThat(kubeconfig).isRegularFile();
      assumeTrue(Kubectl.installed(), Kubectl.BINARY + " is not installed");
      try (Kubectl kubectl = Kubectl.withKubeconfig(kubeconfig)) {
        assertThat(kubectl.ok("get", "nodes").stdout()).containsPattern("node1\\s+Ready").containsPattern("node2\\s+Ready");
      }
    }

    @Test
    @Order(3)
    void aDeploymentSpreadsOverBothNodesAndItsPodsTalkAcrossNodesByIpAndByServiceName() {
      mkctl("apply", "-f", "-").withInput(WEB).ok();
      await().atMost(WAIT).untilAsserted(() -> assertThat(readyWebPods()).hasSize(4));
      Map<String, List<Pod>> byNode = readyWebPods().stream().collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
      assertThat(byNode).containsOnlyKeys("node1", "node2");
      for (Pod p : readyWebPods()) {
        int i = Integer.parseInt(p.getSpec().getNodeName().substring(4));
        assertThat(p.getStatus().getPodIp()).startsWith(lab.podCidrPrefix(i));
      }

      // A pod on node1 asks a pod on node2, by its pod IP, and the Service, by its DNS name (the DNS runs
      // on the host; each query crosses the lab bridge).
      Pod target = byNode.get("node2").get(0);
      mkctl("apply", "-f", "-").withInput(PROBER.formatted(target.getStatus().getPodIp())).ok();
      await().atMost(WAIT).untilAsserted(() -> {
        Pod prober = client.get(Kinds.POD, NS, "prober");
        assertThat(prober.getSpec().getNodeName()).isEqualTo("node1");
        String logs = mkctl("logs", "prober", "-n", NS).ok();
        assertThat(logs).contains("pod " + target.getMetadata().getName())
            .containsPattern("svc web-[a-z0-9]+-[a-z0-9]+");
      });
      // The answer came from the prober's own address: pod-to-pod traffic is not masqueraded between nodes.
      String proberIp = client.get(Kinds.POD, NS, "prober").getStatus().getPodIp();
      assertThat(proberIp).startsWith(lab.podCidrPrefix(1));
      await().atMost(SHORT).untilAsserted(() ->
          assertThat(mkctl("logs", target.getMetadata().getName(), "-n", NS).ok()).contains(proberIp));
      mkctl("delete", "pod", "prober", "-n", NS, "--grace-period", "0").ok();
    }

    @Test
    @Order(4)
    void theNodePortAnswersOnBothNodesLabAddresses() {
      int nodePort = client.get(Kinds.SERVICE, NS, "web").getSpec().getPorts(0).getNodePort();
      assertThat(nodePort).isBetween(30000, 32767);
      for (int node = 1; node <= 2; node++) {
        URI uri = URI.create("http://" + lab.nodeIp(node) + ":" + nodePort + "/");
        await().atMost(SHORT).untilAsserted(() -> assertThat(get(uri)).startsWith("web-"));
      }
    }

    @Test
    @Order(5)
    void aPartitionedNodesPodsAreReplacedOnTheOtherNodeAndTheServiceFollowsThem() {
      lab.ok(SHORT, "partition", "node2");
      assertThat(lab.ok(SHORT, "status").output()).containsPattern("node2 .*PARTITIONED");

      // Unknown after the grace period, evicted after the eviction timeout, replaced on node1.
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(readyWebPods()).hasSize(4).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("node1"));
        Node node2 = client.get(Kinds.NODE, "", "node2");
        assertThat(node2.getSpec().getTaintsList()).anySatisfy(t ->
            assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable"));
      });
      Set<String> node1Ips = readyWebPods().stream().map(p -> p.getStatus().getPodIp())
          .collect(Collectors.toCollection(TreeSet::new));
      await().atMost(SHORT).untilAsserted(() -> assertThat(endpointIps("web")).isEqualTo(node1Ips));
      int nodePort = client.get(Kinds.SERVICE, NS, "web").getSpec().getPorts(0).getNodePort();
      URI viaNode1 = URI.create("http://" + lab.nodeIp(1) + ":" + nodePort + "/");
      Set<String> answered = new TreeSet<>();
      await().atMost(SHORT).untilAsserted(() -> {
        answered.add(get(viaNode1).trim());
        assertThat(answered).hasSizeGreaterThanOrEqualTo(2);
      });
      Set<String> node1Names = readyWebPods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
      assertThat(node1Names).containsAll(answered);

      lab.ok(SHORT, "heal", "node2");
      await().atMost(WAIT).untilAsserted(() -> {
        Node node2 = client.get(Kinds.NODE, "", "node2");
        assertThat(node2.getStatus().getConditionsList()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Ready");
          assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(node2.getSpec().getTaintsList()).noneSatisfy(t ->
            assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable"));
      });
    }

    private List<Pod> readyWebPods() {
      return client.list(Kinds.POD, new ListOptions(NS, "app=web", "", 0, "")).items().stream()
          .filter(p -> !p.getMetadata().hasDeletionTimestamp())
          .filter(p -> p.getStatus().getConditionsList().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
          .toList();
    }

    private Set<String> endpointIps(String service) {
      Endpoints ep = client.get(Kinds.ENDPOINTS, NS, service);
      return ep.getSubsetsList().stream().flatMap(s -> s.getAddressesList().stream()).map(EndpointAddress::getIp)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    private Mkctl mkctl(String... args) {
      return new Mkctl(lab.apiServers(1), args);
    }
  }

  @Nested
  @Order(2)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class ThreeControlPlanes {
    private LabScript lab;
    private ApiClient client;

    @BeforeAll
    void up() {
      lab = cleanLab();
      lab.ok(UP, "up", "--nodes", "1", "--control-planes", "3");
      client = ApiClient.connect(lab.apiServers(3));
    }

    @AfterAll
    void down() {
      downAndAssertClean(lab, client);
    }

    @Test
    @Order(1)
    void aPodIsScheduledAndRunsAfterTheLeadingSchedulerAnApiServerAndAnEtcdMemberAreKilled() {
      String leader = await().atMost(SHORT).until(() -> holder("minik8s-scheduler"), h -> h.startsWith("scheduler-"));
      lab.ok(SHORT, "kill", "scheduler", "leader");
      lab.ok(SHORT, "kill", "apiserver", "1");
      lab.ok(SHORT, "kill", "etcd", "1");
      String status = lab.ok(SHORT, "status").output();
      assertThat(status).containsPattern(leader + "\\s+DOWN").containsPattern("apiserver-1\\s+DOWN")
          .containsPattern("etcd-1\\s+DOWN").containsPattern("apiserver-2\\s+running");

      new Mkctl(lab.apiServers(3), "apply", "-f", "-").withInput(AFTER_FAILURES).ok();
      // A call may still meet the killed API server before the channel has marked it down (UNAVAILABLE,
      // retried by the caller as any client would): the condition is what must come true.
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
        List<Pod> pods = client.list(Kinds.POD, new ListOptions(NS, "app=survivor", "", 0, "")).items();
        assertThat(pods).hasSize(1);
        assertThat(pods.get(0).getSpec().getNodeName()).isEqualTo("node1");
        assertThat(pods.get(0).getStatus().getPhase()).isEqualTo("Running");
      });
      await().atMost(SHORT).ignoreExceptions().untilAsserted(() ->
          assertThat(holder("minik8s-scheduler")).startsWith("scheduler-").isNotEqualTo(leader));

      // What was killed comes back with restart and rejoins.
      lab.ok(UP, "restart", "etcd", "1");
      lab.ok(UP, "restart", "apiserver", "1");
      assertThat(lab.ok(SHORT, "status").output()).containsPattern("etcd-1\\s+running")
          .containsPattern("apiserver-1\\s+running");
    }

    private String holder(String lease) {
      return client.find(Kinds.LEASE, "kube-system", lease).map(Lease::getSpec)
          .map(s -> s.getHolderIdentity()).orElse("");
    }
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** {@code bin/mkctl} against the lab's API servers. */
  private static final class Mkctl {
    private final String servers;
    private final List<String> args;
    private String input;

    Mkctl(String servers, String... args) {
      this.servers = servers;
      this.args = List.of(args);
    }

    Mkctl withInput(String input) {
      this.input = input;
      return this;
    }

    /** Runs it; its stdout, or an AssertionError with both streams unless it exits 0. */
    String ok() {
      List<String> command = new ArrayList<>();
      command.add(Cluster.ROOT.resolve("bin/mkctl").toString());
      command.addAll(args);
      try {
        Path out = Files.createTempFile("mkctl", ".out");
        Path err = Files.createTempFile("mkctl", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("MINIK8S_SERVER", servers);
        Process p = pb.start();
        if (input != null) {
          p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("mkctl " + args + " did not finish within 60 s");
        }
        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
          throw new AssertionError("mkctl " + args + " exited " + p.exitValue() + "\n" + stdout + stderr);
        }
        return stdout;
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Four httpd pods that answer with their own name and log who asked (-v), behind a NodePort Service. */
  private static final String WEB = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: lab
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: lab
      spec:
        replicas: 4
        selector:
          matchLabels:
            app: web
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
              command: ["sh", "-c", "mkdir -p /srv && hostname > /srv/index.html && exec httpd -f -v -p 8080 -h /srv"]
              ports:
              - name: http
                containerPort: 8080
              readinessProbe:
                tcpSocket:
                  port: http
                periodSeconds: 2
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: lab
      spec:
        type: NodePort
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: http
      """;

  /** A pod on node1 that asks a pod IP (%s) and the Service by name, once a second. */
  private static final String PROBER = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: prober
        namespace: lab
      spec:
        nodeSelector:
          kubernetes.io/hostname: node1
        terminationGracePeriodSeconds: 1
        containers:
        - name: prober
          image: localhost/busybox:latest
          imagePullPolicy: IfNotPresent
          command: ["sh", "-c", "while true; do echo \\"pod $(timeout 3 wget -qO- http://%s:8080/)\\"; echo \\"svc $(timeout 3 wget -qO- http://web.lab.svc.cluster.local/)\\"; sleep 1; done"]
      """;

  /** One pod through a Deployment: the controller-manager and the scheduler must both work. */
  private static final String AFTER_FAILURES = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: lab
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: survivor
        namespace: lab
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: survivor
        template:
          metadata:
            labels:
              app: survivor
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: sleeper
              image: localhost/busybox:latest
              imagePullPolicy: IfNotPresent
              command: ["sleep", "3600"]
      """;
}
