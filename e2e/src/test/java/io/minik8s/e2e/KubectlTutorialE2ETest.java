package io.minik8s.e2e;

import static io.minik8s.e2e.HostNetwork.httpGet;
import static io.minik8s.e2e.HostNetwork.iptablesSave;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minik8s.api.Deployment;
import io.minik8s.api.EnvVar;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.e2e.Kubectl.Result;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 8's "done means": a basic Kubernetes tutorial followed with the real kubectl (1.32,
 * {@code /usr/bin/kubectl}) on a real cluster, as deploy/up.sh starts it: etcd, API server, scheduler,
 * controller-manager, a kubelet on a private containerd and kube-proxy (programming the host's real iptables),
 * each a process. Deploy an app, expose it with a NodePort, scale it, roll out a new version, read its logs, run
 * a command in it, roll back, read the events, delete it. Every step is checked on kubectl's output and on
 * the cluster itself (the API's objects, the containers' answers over the NodePort). Runs as root; skipped
 * where kubectl is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlTutorialE2ETest {
  static final String NODE = "node-1";
  static final String NS = "default";
  static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * The app: says which pod and version it is in its log, serves its pod name on 8080, and ends on SIGTERM (a
   * process 1 without a handler ignores it, and each replaced pod would take its whole 30 s grace period).
   */
  static final String APP = "trap 'exit 0' TERM; echo \"web $(hostname) version ${VERSION:-1} serving\";"
      + " hostname > /www/index.html; httpd -f -p 8080 -h /www & wait";

  private static ContainerdProcess containerd;
  private static Cluster cluster;
  private static ApiClient client;
  private static Kubectl kubectl;
  private static ProcessRunner kubeProxy;
  private static String nodeIp;
  private static int nodePort;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.installed(), Kubectl.BINARY + " is not installed");
    containerd = ContainerdProcess.start();
    assertThat(iptablesSave()).as("MINIK8S rules before the test").doesNotContain("MINIK8S");
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    kubectl = Kubectl.forCluster(cluster);
    List<Integer> ports = FreePorts.take(5);
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(ports.get(0)), "--health-bind-address", "127.0.0.1");
    ProcessRunner controllerManager = cluster.startComponent("controller-manager", "controller-manager",
        "--apiserver", cluster.server(), "--health-port", Integer.toString(ports.get(1)),
        "--health-bind-address", "127.0.0.1");
    // The API server reaches the kubelet (logs, exec) at the node's InternalIP: it listens on every address.
    ProcessRunner kubelet = cluster.startComponent("kubelet", "kubelet", "--apiserver", cluster.server(),
        "--node-name", NODE, "--container-runtime-endpoint", containerd.endpoint(), "--pod-cidr", containerd.subnet(),
        "--health-port", Integer.toString(ports.get(2)), "--health-bind-address", "127.0.0.1",
        "--log-port", Integer.toString(ports.get(3)), "--address", "0.0.0.0",
        "--pod-log-dir", containerd.directory().resolve("pod-logs").toString());
    kubeProxy = cluster.startComponent("kube-proxy", "kube-proxy", "--apiserver", cluster.server(),
        "--node-name", NODE, "--cluster-cidr", containerd.subnet(),
        "--health-port", Integer.toString(ports.get(4)), "--health-bind-address", "127.0.0.1");
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(0) + "/readyz"), WAIT);
    controllerManager.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(1) + "/healthz"), WAIT);
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(2) + "/readyz"), WAIT);
    kubeProxy.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(4) + "/readyz"), WAIT);
    nodeIp = await().atMost(WAIT).until(() -> client.find(Kinds.NODE, "", NODE).flatMap(n ->
        n.getStatus().getAddressesList().stream().filter(a -> a.getType().equals("InternalIP"))
            .map(NodeAddress::getAddress).findFirst()).orElse(""), ip -> !ip.isEmpty());
    await().atMost(WAIT).until(() -> kubectl.run("get", "nodes").stdout().matches("(?s).*" + NODE + "\\s+Ready.*"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kubeProxy != null) {
        kubeProxy.stop(Duration.ofSeconds(15));
      }
      if (cluster != null) {
        cluster.close();
      }
      if (kubectl != null) {
        kubectl.close();
      }
    } finally {
      try {
        if (containerd != null) {
          containerd.close();
        }
      } finally {
        if (kubeProxy != null) {
          HostNetwork.cleanUpKubeProxy();
        }
      }
    }
  }

  @Test
  @Order(1)
  void createDeploymentRunsTheAppAndRolloutStatusWaitsForIt() {
    assertThat(kubectl.ok("create", "deployment", "web", "--image=localhost/busybox:latest", "--port=8080",
        "--", "sh", "-c", APP).stdout()).isEqualTo("deployment.apps/web created\n");
    assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=90s").stdout())
        .contains("deployment \"web\" successfully rolled out");

    Deployment d = client.get(Kinds.DEPLOYMENT, NS, "web");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getCommandList()).containsExactly("sh", "-c", APP);
    assertThat(readyPodNames()).hasSize(1);
    assertThat(kubectl.ok("get", "deployment", "web").stdout()).containsPattern("web\\s+1/1\\s+1\\s+1\\s+");
  }

  @Test
  @Order(2)
  void exposeMakesANodePortThatReachesThePod() {
    assertThat(kubectl.ok("expose", "deployment", "web", "--type=NodePort", "--port=80", "--target-port=8080")
        .stdout()).isEqualTo("service/web exposed\n");
    nodePort = Integer.parseInt(kubectl.ok("get", "service", "web", "-o", "jsonpath={.spec.ports[0].nodePort}")
        .stdout());
    assertThat(nodePort).isBetween(30000, 32767);
    assertThat(kubectl.ok("get", "service", "web").stdout())
        .containsPattern("web\\s+NodePort\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+80:" + nodePort + "/TCP");
    Service svc = client.get(Kinds.SERVICE, NS, "web");
    assertThat(svc.getSpec().getSelectorMap()).containsExactly(Map.entry("app", "web"));

    Set<String> pods = readyPodNames();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(pods).contains(httpGet(nodeIp, nodePort)));
  }

  @Test
  @Order(3)
  void scaleRunsThreeReplicasBehindTheNodePort() {
    assertThat(kubectl.ok("scale", "deployment", "web", "--replicas=3").stdout())
        .isEqualTo("deployment.apps/web scaled\n");
    kubectl.ok("rollout", "status", "deployment/web", "--timeout=90s");
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPodNames()).hasSize(3));
    assertThat(kubectl.ok("get", "deployment", "web").stdout()).containsPattern("web\\s+3/3\\s+3\\s+3\\s+");
    Set<String> pods = readyPodNames();
    // kube-proxy spreads connections at random: every pod answers within a few dozen of them.
    Set<String> answered = new TreeSet<>();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      answered.add(httpGet(nodeIp, nodePort));
      assertThat(answered).isEqualTo(pods);
    });
  }

  @Test
  @Order(4)
  void aNewVersionRollsOutAsANewReplicaSet() {
    assertThat(kubectl.ok("set", "env", "deployment/web", "VERSION=2").stdout())
        .isEqualTo("deployment.apps/web env updated\n");
    assertThat(kubectl.ok("rollout", "status", "deployment/web", "--timeout=90s").stdout())
        .contains("deployment \"web\" successfully rolled out");
    assertThat(kubectl.ok("rollout", "history", "deployment/web").stdout())
        .containsPattern("REVISION\\s+CHANGE-CAUSE").containsPattern("(?m)^1\\s+<none>").containsPattern("(?m)^2\\s+<none>");

    Map<String, Integer> replicasByRevision = replicaSets().stream().collect(Collectors.toMap(
        rs -> rs.getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", ""),
        rs -> rs.getSpec().getReplicas()));
    assertThat(replicasByRevision).containsExactlyInAnyOrderEntriesOf(Map.of("1", 0, "2", 3));
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(3).allSatisfy(p ->
        assertThat(p.getSpec().getContainers(0).getEnvList()).extracting(EnvVar::getName, EnvVar::getValue)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("VERSION", "2"))));
  }

  @Test
  @Order(5)
  void logsShowWhatTheAppWrote() {
    await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.ok("logs", "deploy/web").stdout())
        .matches("web web-[a-z0-9]+-[a-z0-9]+ version 2 serving\n"));
    String pod = readyPodNames().iterator().next();
    assertThat(kubectl.ok("logs", pod).stdout()).isEqualTo("web " + pod + " version 2 serving\n");
  }

  @Test
  @Order(6)
  void execRunsACommandInThePod() {
    String pod = readyPodNames().iterator().next();
    assertThat(kubectl.ok("exec", pod, "--", "cat", "/etc/hostname").stdout()).isEqualTo(pod + "\n");
    assertThat(kubectl.ok("exec", "deploy/web", "--", "sh", "-c", "echo $VERSION").stdout()).isEqualTo("2\n");
    Result failed = kubectl.run("exec", pod, "--", "sh", "-c", "exit 3");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.stderr()).contains("command terminated with exit code 3");
    Result missing = kubectl.run("exec", "nope", "--", "true");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("Error from server (NotFound): pods \"nope\" not found");
  }

  @Test
  @Order(7)
  void rolloutUndoGoesBackToTheFirstTemplate() {
    String firstHash = replicaSets().stream()
        .filter(rs -> rs.getMetadata().getAnnotationsOrDefault("deployment.kubernetes.io/revision", "").equals("1"))
        .findFirst().orElseThrow().getMetadata().getLabelsOrThrow("pod-template-hash");
    assertThat(kubectl.ok("rollout", "undo", "deployment/web").stdout()).isEqualTo("deployment.apps/web rolled back\n");
    kubectl.ok("rollout", "status", "deployment/web", "--timeout=90s");

    Deployment d = client.get(Kinds.DEPLOYMENT, NS, "web");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers(0).getEnvList()).isEmpty();
    assertThat(d.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "3");
    // As Kubernetes does: the first ReplicaSet is scaled up again and takes revision 3, remembering 1.
    ReplicaSet first = replicaSets().stream()
        .filter(rs -> rs.getMetadata().getLabelsOrThrow("pod-template-hash").equals(firstHash)).findFirst().orElseThrow();
    assertThat(first.getMetadata().getAnnotationsMap()).containsEntry("deployment.kubernetes.io/revision", "3")
        .containsEntry("deployment.kubernetes.io/revision-history", "1");
    assertThat(first.getSpec().getReplicas()).isEqualTo(3);
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods()).hasSize(3)
        .allSatisfy(p -> assertThat(p.getMetadata().getLabelsOrThrow("pod-template-hash")).isEqualTo(firstHash)));
    assertThat(kubectl.ok("rollout", "history", "deployment/web").stdout())
        .containsPattern("(?m)^2\\s+<none>").containsPattern("(?m)^3\\s+<none>").doesNotContainPattern("(?m)^1\\s");
    await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.ok("logs", "deploy/web").stdout())
        .endsWith("version 1 serving\n"));
  }

  @Test
  @Order(8)
  void eventsTellWhatHappened() {
    await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.ok("get", "events").stdout())
        .containsPattern("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE")
        .containsPattern("Normal\\s+Scheduled\\s+pod/web-")
        .containsPattern("Normal\\s+Pulled\\s+pod/web-")
        .containsPattern("Normal\\s+Created\\s+pod/web-")
        .containsPattern("Normal\\s+Started\\s+pod/web-")
        .containsPattern("Normal\\s+Killing\\s+pod/web-")
        .containsPattern("Normal\\s+ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set web-"));
    String pod = readyPodNames().iterator().next();
    assertThat(kubectl.ok("describe", "pod", pod).stdout())
        .containsPattern("Name:\\s+" + pod).containsPattern("Node:\\s+" + NODE + "/" + nodeIp.replace(".", "\\."))
        .containsPattern("Status:\\s+Running")
        .containsPattern("(?s)Events:\\s+Type\\s+Reason\\s+Age\\s+From\\s+Message.*Normal\\s+Scheduled\\s+.*"
            + "Successfully assigned default/" + pod + " to " + NODE + ".*Normal\\s+Started\\s+");
  }

  @Test
  @Order(9)
  void deleteRemovesTheDeploymentAndItsPods() {
    assertThat(kubectl.ok("delete", "deployment", "web").stdout()).isEqualTo("deployment.apps \"web\" deleted\n");
    assertThat(client.find(Kinds.DEPLOYMENT, NS, "web")).isEmpty();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.list(Kinds.POD, ListOptions.inNamespace(NS).withLabelSelector("app=web")).items()).isEmpty();
      assertThat(replicaSets()).isEmpty();
    });
    assertThat(kubectl.ok("delete", "service", "web").stdout()).isEqualTo("service \"web\" deleted\n");
    assertThat(kubectl.run("get", "pods").stderr()).contains("No resources found in default namespace.");
  }

  static List<ReplicaSet> replicaSets() {
    return client.list(Kinds.REPLICA_SET, ListOptions.inNamespace(NS).withLabelSelector("app=web")).items();
  }

  static List<Pod> readyPods() {
    return client.list(Kinds.POD, ListOptions.inNamespace(NS).withLabelSelector("app=web")).items().stream()
        .filter(p -> !p.getMetadata().hasDeletionTimestamp())
        .filter(p -> p.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  static Set<String> readyPodNames() {
    return readyPods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }
}
