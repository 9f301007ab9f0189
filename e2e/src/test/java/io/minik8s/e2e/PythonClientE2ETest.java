package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerState;
import io.minik8s.api.ContainerStateTerminated;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.DaemonEndpoint;
import io.minik8s.api.Deployment;
import io.minik8s.api.Node;
import io.minik8s.api.NodeDaemonEndpoints;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.NodeSystemInfo;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kubernetes' official Python client (Debian's python3-kubernetes, for {@code /usr/bin/python3}) against the
 * API server jar, with nothing but a kubeconfig: the scripts in {@code src/test/resources/python} call the
 * client's typed APIs and print what they got as JSON, asserted here together with the server's state as
 * the minik8s client reads it. The client reads every response strictly into its models (types, required
 * fields, timestamps), so a script that exits non-zero is a response the server got wrong.
 *
 * <p>A controller-manager and a scheduler run beside the API server, so that what the scripts read carries
 * what controllers write (statuses, conditions, owner references). No node runs: pods stay Pending.
 * Skipped where the client is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonClientE2ETest {
  private static final Path PYTHON = Paths.get(System.getProperty("minik8s.python", "/usr/bin/python3"));
  private static final String NS = "py";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Cluster cluster;
  private static Path dir;
  private static Path kubeconfig;
  private static Path scripts;

  @BeforeAll
  static void start() throws IOException, URISyntaxException {
    assumeTrue(clientInstalled(), PYTHON + " cannot import kubernetes (Debian: apt-get install python3-kubernetes)");
    cluster = Cluster.startControlPlane();
    List<Integer> health = FreePorts.take(2);
    ProcessRunner controllerManager = cluster.startComponent("controller-manager", "controller-manager",
        "--apiserver", cluster.server(), "--health-port", Integer.toString(health.get(0)),
        "--health-bind-address", "127.0.0.1");
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(health.get(1)), "--health-bind-address", "127.0.0.1");
    controllerManager.awaitHttpOk(URI.create("http://127.0.0.1:" + health.get(0) + "/readyz"), Duration.ofSeconds(60));
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + health.get(1) + "/readyz"), Duration.ofSeconds(60));
    dir = Files.createTempDirectory("python-client-e2e");
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    scripts = Paths.get(PythonClientE2ETest.class.getResource("/python/minik8s_script.py").toURI()).getParent();
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean clientInstalled() {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import kubernetes").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ProcessBuilder script(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), scripts.resolve(name).toString(),
        kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("KUBECONFIG");
    pb.environment().put("HOME", dir.toString());
    return pb;
  }

  /** Runs a script to the end; it must succeed. Its stdout, one JSON document per line. */
  private static List<JsonNode> run(ProcessBuilder script) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = script.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(script.command() + " did not finish within 90 s\n" + Files.readString(err));
    }
    assertThat(p.exitValue()).as(script.command() + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n"
        + Files.readString(err)).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static JsonNode runOne(String name, String... args) throws IOException, InterruptedException {
    List<JsonNode> lines = run(script(name, args));
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> podNames() {
    return cluster.client().list(Kinds.POD, ListOptions.inNamespace(NS)).items().stream()
        .map(p -> p.getMetadata().getName()).sorted().toList();
  }

  @Test
  @Order(1)
  void createsListsAndPatchesInEveryFormat() throws Exception {
    JsonNode r = runOne("writes.py", NS);
    assertThat(texts(r.get("namespaces"))).contains("default", NS);
    assertThat(texts(r.get("podsLabelledPy"))).containsExactly("one", "two");
    assertThat(texts(r.get("podsNotPy"))).containsExactly("three");
    assertThat(texts(r.get("podByField"))).containsExactly("two");
    assertThat(r.get("podCpuRequest").asText()).isEqualTo("100m");
    assertThat(r.get("podCreationTimestampYear").asInt()).isGreaterThanOrEqualTo(2024);
    assertThat(r.get("deploymentGeneration").asInt()).isEqualTo(1);
    // A dict body goes as a strategic merge patch: containers merge by name, env entries by name.
    assertThat(texts(r.get("smpImages"))).containsExactly("a:1", "b:2");
    assertThat(texts(r.get("smpEnv"))).containsExactly("X", "Y");
    assertThat(r.get("jsonPatchReplicas").asInt()).isEqualTo(2);
    // A JSON merge patch replaces lists.
    assertThat(r.get("mergePatchStatus").asInt()).isEqualTo(200);
    assertThat(texts(r.get("mergePatchImages"))).containsExactly("only:1");
    assertThat(r.at("/mergePatchLabels/tier").asText()).isEqualTo("front");
    assertThat(r.get("scaleBefore").toString())
        .isEqualTo("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"replicas\":2,\"selector\":\"app=web\"}");
    assertThat(r.get("scaleAfter").asInt()).isEqualTo(3);
    assertThat(r.get("replaceScale").asInt()).isEqualTo(4);
    assertThat(r.at("/final/replicas").asInt()).isEqualTo(4);

    assertThat(podNames()).contains("one", "two", "three");
    assertThat(cluster.client().get(Kinds.POD, NS, "one").getMetadata().getUid())
        .isEqualTo(r.at("/createdPodUids/0").asText());
    var deployment = cluster.client().get(Kinds.DEPLOYMENT, NS, "web");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(4);
    assertThat(deployment.getMetadata().getLabelsMap()).containsEntry("tier", "front");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainersList()).extracting(Container::getImage)
        .containsExactly("only:1");
  }

  /** Lists, statuses and discovery as controllers left them: every response must read into the models. */
  @Test
  @Order(2)
  void readsEveryKindDiscoveryAndVersion() throws Exception {
    var client = cluster.client();
    await().atMost(Duration.ofSeconds(30)).until(() -> !client
        .list(Kinds.REPLICA_SET, ListOptions.inNamespace(NS)).items().isEmpty());
    // Zero values: a ReplicaSet scaled to 0, a container that ended with exit code 0, a node with a sparse nodeInfo
    // (unschedulable, so that no pod of the later tests is bound to it).
    retryingConflicts(() -> {
      Deployment web = client.get(Kinds.DEPLOYMENT, NS, "web");
      return client.update(web.toBuilder().setSpec(web.getSpec().toBuilder().setReplicas(0)).build());
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> client.list(Kinds.REPLICA_SET, ListOptions.inNamespace(NS))
        .items().stream().allMatch(rs -> rs.getSpec().getReplicas() == 0 && rs.hasStatus()
            && rs.getStatus().getReplicas() == 0));
    retryingConflicts(() -> {
      Pod one = client.get(Kinds.POD, NS, "one");
      return client.updateStatus(one.toBuilder().setStatus(one.getStatus().toBuilder().addContainerStatuses(
          ContainerStatus.newBuilder().setName("c").setImage("localhost/busybox:latest").setState(
              ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder().setReason("Completed")))))
          .build());
    });
    Node node = client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("sparse"))
        .setSpec(NodeSpec.newBuilder().setUnschedulable(true)).build());
    retryingConflicts(() -> client.updateStatus(client.get(Kinds.NODE, "", "sparse").toBuilder()
        .setStatus(NodeStatus.newBuilder()
            .setNodeInfo(NodeSystemInfo.newBuilder().setKubeletVersion("v1.32.0"))
            .setDaemonEndpoints(NodeDaemonEndpoints.newBuilder()
                .setKubeletEndpoint(DaemonEndpoint.getDefaultInstance())))
        .build()));

    JsonNode r = runOne("reads.py", NS);
    assertThat(r.get("replicaSetReplicas")).isNotEmpty().allMatch(replicas -> replicas.asInt(-1) == 0);
    assertThat(r.get("containerStatus").toString()).isEqualTo("[[false,0,\"\",0]]");
    assertThat(r.get("nodeInfo").toString()).isEqualTo("[[\"v1.32.0\",\"\",0]]");
    assertThat(r.at("/counts/deployments").asInt()).isEqualTo(1);
    assertThat(r.at("/counts/replicaSets").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(r.at("/counts/pods").asInt()).isEqualTo(3);
    assertThat(r.at("/counts/namespaces").asInt()).isGreaterThanOrEqualTo(5);
    assertThat(r.get("replicaSetOwners").get(0).toString()).isEqualTo("[\"Deployment\",\"web\",true]");
    assertThat(texts(r.get("coreResources"))).contains("pods", "pods/status", "pods/log", "namespaces");
    assertThat(texts(r.get("groups"))).contains("apps", "coordination.k8s.io");
    assertThat(r.get("version").asText()).startsWith("v1.32.0");
    client.delete(Kinds.NODE, "", node.getMetadata().getName());
  }

  /** The script watches from a list's version; the writes are made here, through the gRPC API, meanwhile. */
  @Test
  @Order(3)
  void aWatchSeesTheWritesMadeMeanwhile() throws Exception {
    Path out = dir.resolve("watch.txt");
    Process watch = script("watch_pods.py", NS, "watched").redirectOutput(out.toFile())
        .redirectError(dir.resolve("watch-err.txt").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("resourceVersion"));
      String listed = JSON.readTree(Files.readAllLines(out).get(0)).get("resourceVersion").asText();
      var client = cluster.client();
      Pod created = client.create(Pod.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setName("watched").setNamespace(NS).putLabels("app", "watched"))
          .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("i")))
          .build());
      Pod labelled = labelled(client, "seen", "yes");
      client.delete(Kinds.POD, NS, "watched");
      assertThat(watch.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(dir.resolve("watch-err.txt"))).isTrue();
      assertThat(watch.exitValue()).as(Files.readString(dir.resolve("watch-err.txt"))).isZero();

      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(out)) {
        lines.add(JSON.readTree(line));
      }
      List<JsonNode> watched = lines.stream().filter(l -> "watched".equals(l.path("name").asText())).toList();
      // The scheduler may write the pod between our writes (an Unschedulable condition): MODIFIED events more.
      assertThat(watched.stream().map(e -> e.get("type").asText()).distinct().toList())
          .containsExactly("ADDED", "MODIFIED", "DELETED");
      assertThat(watched.get(0).get("resourceVersion").asText()).isEqualTo(created.getMetadata().getResourceVersion());
      assertThat(Long.parseLong(watched.get(0).get("resourceVersion").asText())).isGreaterThan(Long.parseLong(listed));
      assertThat(watched.stream().filter(e -> e.get("resourceVersion").asText()
          .equals(labelled.getMetadata().getResourceVersion())).findFirst().orElseThrow().at("/labels/seen").asText())
          .isEqualTo("yes");
      JsonNode quiet = lines.get(lines.size() - 1);
      assertThat(quiet.get("quietEvents")).isEmpty();
      assertThat(quiet.get("quietSeconds").asDouble()).isBetween(0.5, 10.0);
      assertThat(cluster.client().find(Kinds.POD, NS, "watched")).isEmpty();
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The pod "watched" with one more label. */
  private static Pod labelled(ApiClient client, String key, String value) {
    return retryingConflicts(() -> {
      Pod current = client.get(Kinds.POD, NS, "watched");
      return client.update(current.toBuilder()
          .setMetadata(current.getMetadata().toBuilder().putLabels(key, value)).build());
    });
  }

  /** A read-change-write against controllers and the scheduler, which write the same objects: retried on conflict. */
  private static <T> T retryingConflicts(java.util.function.Supplier<T> readChangeWrite) {
    while (true) {
      try {
        return readChangeWrite.get();
      } catch (ApiException e) {
        if (!e.isConflict()) {
          throw e;
        }
      }
    }
  }

  @Test
  @Order(4)
  void errorsAreApiExceptionsWithKubernetesStatus() throws Exception {
    JsonNode r = runOne("errors.py", NS);
    assertThat(r.at("/notFound/status").asInt()).isEqualTo(404);
    assertThat(r.at("/notFound/reason").asText()).isEqualTo("NotFound");
    assertThat(r.at("/notFound/message").asText()).isEqualTo("pods \"nope\" not found");
    assertThat(r.at("/scaleNotFound/message").asText()).isEqualTo("deployments.apps \"nope\" not found");
    assertThat(r.at("/alreadyExists/status").asInt()).isEqualTo(409);
    assertThat(r.at("/alreadyExists/reason").asText()).isEqualTo("AlreadyExists");
    assertThat(r.at("/conflict/status").asInt()).isEqualTo(409);
    assertThat(r.at("/conflict/reason").asText()).isEqualTo("Conflict");
    assertThat(r.at("/conflict/message").asText()).contains("the object has been modified");
    assertThat(r.at("/invalid/status").asInt()).isEqualTo(422);
    assertThat(r.at("/invalid/reason").asText()).isEqualTo("Invalid");
    assertThat(r.at("/invalid/details/causes").findValuesAsText("field"))
        .containsExactly("metadata.name", "spec.containers[0].image");
    assertThat(r.at("/unknownField/status").asInt()).isEqualTo(400);
    assertThat(r.at("/unknownField/reason").asText()).isEqualTo("BadRequest");
    assertThat(r.at("/unknownField/message").asText())
        .endsWith("strict decoding error: unknown field \"spec.containers[0].colour\"");
    assertThat(r.at("/badSelector/status").asInt()).isEqualTo(400);
    assertThat(cluster.client().find(Kinds.POD, NS, "Bad_Name")).isEmpty();
    assertThat(cluster.client().find(Kinds.POD, NS, "u")).isEmpty();
    assertThat(cluster.client().get(Kinds.POD, NS, "one").getMetadata().getLabelsMap()).containsEntry("touched", "yes");
  }

  @Test
  @Order(5)
  void deletesOneByOneAndByCollection() throws Exception {
    JsonNode r = runOne("deletes.py", NS);
    assertThat(r.get("byQuery").toString()).isEqualTo("{\"kind\":\"Pod\",\"name\":\"by-query\"}");
    assertThat(r.get("byBody").toString()).isEqualTo("{\"kind\":\"Pod\",\"name\":\"by-body\"}");
    assertThat(r.at("/byLabel/kind").asText()).isEqualTo("PodList");
    assertThat(r.at("/byLabel/resourceVersionSet").asBoolean()).isTrue();
    assertThat(texts(r.get("afterLabel"))).doesNotContain("sweep-1", "sweep-2", "by-query", "by-body")
        .contains("keep", "by-name");
    assertThat(texts(r.get("afterField"))).doesNotContain("by-name").contains("keep");
    assertThat(r.get("deployment").toString()).isEqualTo(
        "{\"group\":\"apps\",\"kind\":\"Status\",\"name\":\"web\",\"resource\":\"deployments\",\"status\":\"Success\"}");

    assertThat(podNames()).doesNotContain("sweep-1", "sweep-2", "by-query", "by-body", "by-name").contains("keep");
    assertThat(cluster.client().find(Kinds.DEPLOYMENT, NS, "web")).isEmpty();
  }
}
