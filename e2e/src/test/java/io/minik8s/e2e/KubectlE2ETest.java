package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minik8s.client.api.Kinds;
import io.minik8s.e2e.Kubectl.Result;
import io.minik8s.testkit.Cluster;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real kubectl (1.32, {@code /usr/bin/kubectl}) against the API server jar, with nothing but a
 * kubeconfig: apply, get in its forms, watch, describe, scale, delete, and Kubernetes' error messages.
 * No node runs, so pods stay Pending. Skipped where kubectl is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlE2ETest {
  private static final String MANIFEST = """
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
        labels:
          app: web
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: httpd
              image: localhost/busybox:latest
              ports:
              - name: http
                containerPort: 8080
              env:
              - name: GREETING
                value: hello
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
        - name: http
          port: 80
          targetPort: http
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello
        namespace: shop
        labels:
          app: hello
      spec:
        containers:
        - name: hello
          image: localhost/busybox:latest
          command: ["sleep", "3600"]
      """;

  private static Cluster cluster;
  private static Kubectl kubectl;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Kubectl.installed(), Kubectl.BINARY + " is not installed");
    cluster = Cluster.startControlPlane();
    kubectl = Kubectl.forCluster(cluster);
    dir = kubectl.dir();
    Files.writeString(dir.resolve("shop.yaml"), MANIFEST);
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (kubectl != null) {
      kubectl.close();
    }
  }

  private static ProcessBuilder kubectlProcess(String... args) {
    return kubectl.process(args);
  }

  private static Result kubectlWithInput(String stdin, String... args) {
    return kubectl.runWithInput(stdin, args);
  }

  private static Result run(ProcessBuilder process) {
    return kubectl.ok(process);
  }

  private static Result kubectl(String... args) {
    return kubectl.run(args);
  }

  private static Result ok(String... args) {
    return kubectl.ok(args);
  }

  @Test
  @Order(1)
  void applyCreatesEveryObjectAndAgainChangesNothing() {
    Result first = ok("apply", "-f", dir.resolve("shop.yaml").toString());
    assertThat(first.stdout()).contains("namespace/shop created", "deployment.apps/web created",
        "service/web created", "pod/hello created");
    assertThat(first.stderr()).doesNotContain("Warning", "error");
    Result again = ok("apply", "-f", dir.resolve("shop.yaml").toString());
    assertThat(again.stdout()).contains("namespace/shop unchanged", "deployment.apps/web unchanged",
        "service/web unchanged", "pod/hello unchanged");
  }

  @Test
  @Order(2)
  void applyOfAnEditedManifestPatchesWhatChanged() throws IOException {
    Path edited = dir.resolve("shop-edited.yaml");
    Files.writeString(edited, MANIFEST.replace("replicas: 2", "replicas: 3").replace("value: hello", "value: bonjour"));
    Result r = ok("apply", "-f", edited.toString());
    assertThat(r.stdout()).contains("deployment.apps/web configured", "service/web unchanged");
    assertThat(ok("get", "deployment", "web", "-n", "shop", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env[0].value} {.metadata.generation}").stdout())
        .isEqualTo("3 bonjour 2");
  }

  @Test
  @Order(3)
  void getPrintsKubernetesTablesAndFormats() {
    assertThat(ok("get", "pods", "-n", "shop").stdout())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\n")
        .containsPattern("hello\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
    assertThat(ok("get", "pods", "-n", "shop", "-o", "wide").stdout())
        .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES")
        .containsPattern("hello\\s+0/1\\s+Pending\\s+0\\s+\\d+s\\s+<none>\\s+<none>");
    assertThat(ok("get", "deploy", "-n", "shop").stdout())
        .containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\n")
        .containsPattern("web\\s+0/3\\s+0\\s+0\\s+\\d+s");
    assertThat(ok("get", "svc", "web", "-n", "shop").stdout())
        .containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE\n")
        .containsPattern("web\\s+ClusterIP\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP");
    assertThat(ok("get", "pods", "-A", "--show-labels", "-l", "app=hello").stdout())
        .containsPattern("NAMESPACE\\s+NAME\\s+READY.*LABELS")
        .containsPattern("shop\\s+hello\\s+0/1.*app=hello");
    assertThat(ok("get", "all", "-n", "shop").stdout()).contains("pod/hello", "service/web", "deployment.apps/web");
    assertThat(ok("get", "deploy", "web", "-n", "shop", "-o", "yaml").stdout())
        .contains("apiVersion: apps/v1", "kind: Deployment", "replicas: 3", "containerPort: 8080", "uid:",
            "kubectl.kubernetes.io/last-applied-configuration");
    assertThat(ok("get", "pods", "-n", "shop", "-o", "jsonpath={.items[*].metadata.name}").stdout())
        .isEqualTo("hello");
    assertThat(ok("get", "ns", "shop", "-o", "name").stdout().trim()).isEqualTo("namespace/shop");
  }

  @Test
  @Order(4)
  void getWatchPrintsTheListThenEachChange() throws Exception {
    Path out = dir.resolve("watch.txt");
    Process watch = kubectlProcess("get", "pods", "-n", "shop", "-w").redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("hello"));
      ok("run", "watched", "-n", "shop", "--image=localhost/busybox:latest");
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("watched"));
      ok("label", "pod", "watched", "-n", "shop", "seen=yes");
      await().atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(out).lines().filter(l -> l.startsWith("watched")).count() >= 2);
      assertThat(Files.readString(out)).startsWith("NAME").containsOnlyOnce("NAME");
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void describeShowsTheObjects() {
    assertThat(ok("describe", "deployment", "web", "-n", "shop").stdout())
        .containsPattern("Name:\\s+web").containsPattern("Replicas:\\s+3 desired")
        .containsPattern("GREETING:\\s+bonjour");
    assertThat(ok("describe", "pod", "hello", "-n", "shop").stdout())
        .containsPattern("Status:\\s+Pending").containsPattern("Image:\\s+localhost/busybox:latest");
    assertThat(ok("describe", "service", "web", "-n", "shop").stdout()).containsPattern("Port:\\s+http\\s+80/TCP");
  }

  @Test
  @Order(6)
  void scaleChangesTheReplicas() {
    assertThat(ok("scale", "deployment", "web", "-n", "shop", "--replicas=5").stdout())
        .contains("deployment.apps/web scaled");
    assertThat(cluster.client().get(Kinds.DEPLOYMENT, "shop", "web").getSpec().getReplicas()).isEqualTo(5);
  }

  /** kubectl's generators write through client-go's typed clients, in Kubernetes' protobuf encoding. */
  @Test
  @Order(7)
  void createGeneratorsEditAndPatch() {
    assertThat(ok("create", "namespace", "tools").stdout()).contains("namespace/tools created");
    assertThat(ok("create", "deployment", "api", "-n", "tools", "--image=localhost/busybox:latest", "--port=8080",
        "--replicas=2").stdout()).contains("deployment.apps/api created");
    assertThat(ok("create", "service", "clusterip", "api", "-n", "tools", "--tcp=80:8080").stdout())
        .contains("service/api created");
    assertThat(ok("get", "deploy", "api", "-n", "tools", "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort}").stdout())
        .isEqualTo("2 8080");
    assertThat(ok("get", "svc", "api", "-n", "tools", "-o", "jsonpath={.spec.selector.app} {.spec.ports[0].targetPort}")
        .stdout()).isEqualTo("api 8080");

    ProcessBuilder edit = kubectlProcess("edit", "deployment", "api", "-n", "tools");
    edit.environment().put("KUBE_EDITOR", "sed -i s/replicas:\\ 2/replicas:\\ 4/");
    assertThat(run(edit).stdout()).contains("deployment.apps/api edited");
    assertThat(ok("patch", "deployment", "api", "-n", "tools", "--type=json",
        "-p=[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"tier\":\"backend\"}}]").stdout())
        .contains("deployment.apps/api patched");
    assertThat(ok("rollout", "restart", "deployment", "api", "-n", "tools").stdout()).contains("restarted");
    assertThat(ok("get", "deploy", "api", "-n", "tools", "-o", "jsonpath={.spec.replicas} {.metadata.labels.tier}")
        .stdout()).isEqualTo("4 backend");
    assertThat(ok("delete", "namespace", "tools").stdout()).contains("namespace \"tools\" deleted");
  }

  /**
   * logs and exec go through the kubelet of the pod's node; a stand-in kubelet in this JVM answers
   * {@code /containerLogs} and {@code /exec} (CRI ExecSync) as the real one does.
   */
  @Test
  @Order(8)
  void logsAndExecReachTheContainerThroughItsKubelet() throws IOException {
    HttpServer kubelet = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    kubelet.createContext("/containerLogs/shop/hello/hello", exchange -> {
      byte[] log = "hello from minik8s\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, log.length);
      exchange.getResponseBody().write(log);
      exchange.close();
    });
    kubelet.createContext("/exec/shop/hello/hello", exchange -> {
      String command = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int exitCode = command.contains("\"false\"") ? 1 : 0;
      byte[] answer = ("{\"exitCode\":" + exitCode + ",\"stdout\":\"" + Base64.getEncoder().encodeToString(
          ("ran " + command + "\n").getBytes(StandardCharsets.UTF_8)) + "\",\"stderr\":\"\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    kubelet.start();
    try {
      String node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: stand-in\n";
      assertThat(kubectlWithInput(node, "create", "-f", "-").exitCode()).isZero();
      ok("patch", "node", "stand-in", "--subresource=status", "--type=merge", "-p",
          "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
              + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.getAddress().getPort() + "}}}}");
      cluster.client().bind("shop", "hello", "stand-in");

      assertThat(ok("logs", "hello", "-n", "shop").stdout()).isEqualTo("hello from minik8s\n");
      assertThat(ok("exec", "hello", "-n", "shop", "--", "ls", "/").stdout())
          .isEqualTo("ran {\"command\":[\"ls\",\"/\"],\"timeoutSeconds\":300}\n");
      Result failed = kubectl("exec", "hello", "-n", "shop", "--", "false");
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.stderr()).contains("command terminated with exit code 1");
    } finally {
      kubelet.stop(0);
    }
  }

  @Test
  @Order(9)
  void errorsReadAsKubernetesWritesThem() {
    Result missing = kubectl("get", "pod", "nope", "-n", "shop");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr()).contains("Error from server (NotFound): pods \"nope\" not found");

    Result exists = kubectl("create", "-f", dir.resolve("shop.yaml").toString());
    assertThat(exists.stderr()).contains("Error from server (AlreadyExists): error when creating",
        "namespaces \"shop\" already exists", "deployments.apps \"web\" already exists",
        "pods \"hello\" already exists");

    String invalid = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\n  namespace: shop\nspec:\n"
        + "  containers:\n  - name: c\n";
    Result refused = kubectlWithInput(invalid, "apply", "-f", "-");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("The Pod \"Bad_Name\" is invalid", "metadata.name: Invalid value: \"Bad_Name\"",
        "spec.containers[0].image: Required value");

    String unknown = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: u\n  namespace: shop\nspec:\n"
        + "  containers:\n  - name: c\n    image: i\n    colour: red\n";
    Result strict = kubectlWithInput(unknown, "apply", "-f", "-");
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.stderr()).contains("Error from server (BadRequest)",
        "strict decoding error: unknown field \"spec.containers[0].colour\"");
    assertThat(cluster.client().find(Kinds.POD, "shop", "u")).isEmpty();
  }

  @Test
  @Order(10)
  void deleteWaitsUntilTheObjectsAreGone() {
    assertThat(ok("delete", "pod", "watched", "-n", "shop").stdout()).contains("pod \"watched\" deleted");
    assertThat(cluster.client().find(Kinds.POD, "shop", "watched")).isEmpty();
    assertThat(ok("delete", "deployment/web", "service/web", "-n", "shop").stdout())
        .contains("deployment.apps \"web\" deleted", "service \"web\" deleted");
    // On a node now, and no kubelet will confirm that its containers stopped: only a forced delete is immediate.
    assertThat(ok("delete", "pod", "hello", "-n", "shop", "--grace-period=0", "--force").stdout())
        .contains("pod \"hello\" force deleted");
    assertThat(ok("delete", "node", "stand-in").stdout()).contains("node \"stand-in\" deleted");
    Result gone = kubectl("get", "deployment", "web", "-n", "shop");
    assertThat(gone.stderr()).contains("Error from server (NotFound): deployments.apps \"web\" not found");
    assertThat(ok("delete", "namespace", "shop").stdout()).contains("namespace \"shop\" deleted");
    assertThat(cluster.client().find(Kinds.NAMESPACE, "", "shop")).isEmpty();
  }

  @Test
  @Order(11)
  void deleteBySelectorAndAllAndApiResources() {
    ok("create", "namespace", "sweep");
    for (String pod : List.of("a", "b", "c")) {
      String app = pod.equals("c") ? "y" : "x";
      ok("run", pod, "-n", "sweep", "--image=localhost/busybox:latest", "--labels=app=" + app);
    }
    assertThat(ok("delete", "pods", "-l", "app=x", "-n", "sweep").stdout())
        .contains("pod \"a\" deleted", "pod \"b\" deleted").doesNotContain("\"c\"");
    assertThat(cluster.client().find(Kinds.POD, "sweep", "a")).isEmpty();
    assertThat(cluster.client().find(Kinds.POD, "sweep", "c")).isPresent();
    assertThat(ok("delete", "pods", "--all", "-n", "sweep").stdout()).contains("pod \"c\" deleted");
    assertThat(cluster.client().find(Kinds.POD, "sweep", "c")).isEmpty();

    String resources = ok("api-resources", "-o", "wide").stdout();
    assertThat(resources)
        .containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod\\s+create,delete,deletecollection,get,list,patch,update,watch"
            + "\\s+all")
        .containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace\\s+create,delete,get,list,patch,update,watch\\s")
        .containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\s+");
  }

  /**
   * {@code apply --server-side} (PATCH application/apply-patch+yaml): minik8s keeps no managed fields, so
   * it creates the object or merges the configuration into it; unknown fields are refused as in any write.
   */
  @Test
  @Order(12)
  void serverSideApplyCreatesThenMerges() throws IOException {
    String manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: applied
          namespace: sweep
        spec:
          replicas: 1
          selector:
            matchLabels: {app: applied}
          template:
            metadata:
              labels: {app: applied}
            spec:
              containers:
              - name: c
                image: localhost/busybox:latest
        """;
    Path file = dir.resolve("applied.yaml");
    Files.writeString(file, manifest);
    assertThat(ok("apply", "--server-side", "-f", file.toString()).stdout())
        .contains("deployment.apps/applied serverside-applied");
    Files.writeString(file, manifest.replace("replicas: 1", "replicas: 2"));
    assertThat(ok("apply", "--server-side", "-f", file.toString()).stdout())
        .contains("deployment.apps/applied serverside-applied");
    assertThat(cluster.client().get(Kinds.DEPLOYMENT, "sweep", "applied").getSpec().getReplicas()).isEqualTo(2);

    Files.writeString(file, manifest.replace("replicas: 1", "replicas: 1\n  foo: bar"));
    Result unknown = kubectl("apply", "--server-side", "-f", file.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("Error from server (BadRequest)",
        "strict decoding error: unknown field \"spec.foo\"");
    // The same through a client-side apply of an object that exists: the strategic merge patch is refused.
    Result patched = kubectlWithInput(manifest.replace("replicas: 1", "replicas: 1\n  foo: bar"), "apply", "-f", "-");
    assertThat(patched.exitCode()).isEqualTo(1);
    assertThat(patched.stderr()).contains("error when patching",
        "strict decoding error: unknown field \"spec.foo\"");
    assertThat(cluster.client().get(Kinds.DEPLOYMENT, "sweep", "applied").getSpec().getReplicas()).isEqualTo(2);
    assertThat(ok("delete", "namespace", "sweep").stdout()).contains("namespace \"sweep\" deleted");
  }
}
