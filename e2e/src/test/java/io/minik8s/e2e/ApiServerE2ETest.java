package io.minik8s.e2e;

import io.minik8s.testkit.Cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Deployment;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 2's promise, with real processes: etcd, the API server jar, and bin/mkctl as a user types it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerE2ETest {
  private static Cluster cluster;

  @BeforeAll
  static void start() {
    cluster = Cluster.startControlPlane();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void applyOfAKubernetesManifestCreatesEveryObject() {
    Cluster.Result r = cluster.mkctl("apply", "-f", Cluster.ROOT.resolve("examples/demo.yaml").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("namespace/demo created", "deployment.apps/web created", "service/web created",
        "pod/hello created");

    Cluster.Result again = cluster.mkctl("apply", "-f", Cluster.ROOT.resolve("examples/demo.yaml").toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.stdout()).contains("deployment.apps/web unchanged");
  }

  @Test
  @Order(2)
  void getShowsTheObjectsWithKubernetesFields() {
    Cluster.Result yaml = cluster.mkctl("get", "deploy", "web", "-n", "demo", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(yaml.stdout()).contains("apiVersion: apps/v1", "kind: Deployment", "maxSurge: 25%",
        "maxUnavailable: 1", "cpu: 50m", "memory: 64Mi", "port: http", "resourceVersion:", "uid:");
    Cluster.Result pods = cluster.mkctl("get", "pods", "-A");
    assertThat(pods.stdout()).containsPattern("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE")
        .containsPattern("demo\\s+hello\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
    Cluster.Result svc = cluster.mkctl("get", "svc", "-n", "demo", "-o", "json");
    assertThat(svc.stdout()).contains("\"targetPort\": \"http\"", "\"nodePort\": 30080");
  }

  @Test
  @Order(3)
  void anInvalidManifestIsRefusedWithEveryProblemAndNothingIsStored() {
    Cluster.Result r = cluster.mkctl("apply", "-f", Cluster.ROOT.resolve("examples/invalid.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("Pod \"Bad_Name\" is invalid", "metadata.name", "spec.restartPolicy",
        "spec.containers[0].image: Required value", "spec.containers[0].ports[0].containerPort");
    assertThat(cluster.client().find(Kinds.POD, "default", "Bad_Name")).isEmpty();

    String unknownField = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        + "  - name: c\n    image: i\n    volumeMounts: []\n    colour: red\n";
    Cluster.Result decode = cluster.mkctlWithInput(unknownField, "apply", "-f", "-");
    assertThat(decode.exitCode()).isEqualTo(1);
    assertThat(decode.stderr()).contains("spec.containers[0].volumeMounts", "not supported",
        "spec.containers[0].colour", "STDIN:9", "STDIN:10");
    assertThat(cluster.client().find(Kinds.POD, "default", "p")).isEmpty();
  }

  @Test
  @Order(4)
  void getWatchShowsChangesMadeElsewhere() throws Exception {
    Path out = Files.createTempFile("watch", ".txt");
    Process watch = cluster.mkctlInBackground(out, "get", "pods", "-n", "demo", "-w");
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).contains("hello"));
      String pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: watched\n  namespace: demo\nspec:\n"
          + "  containers:\n  - name: c\n    image: localhost/busybox:latest\n";
      assertThat(cluster.mkctlWithInput(pod, "apply", "-f", "-").exitCode()).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).contains("watched"));
    } finally {
      watch.destroy();
      Files.deleteIfExists(out);
    }
  }

  @Test
  @Order(5)
  void everythingSurvivesAKill9OfTheApiServer() {
    Deployment before = cluster.client().get(Kinds.DEPLOYMENT, "demo", "web");
    cluster.apiServer().kill();
    cluster.startApiServer();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> cluster.client().get(Kinds.DEPLOYMENT, "demo", "web").equals(before));
    assertThat(cluster.client().list(Kinds.POD, ListOptions.inNamespace("demo")).items())
        .extracting(p -> p.getMetadata().getName()).contains("hello", "watched");
    Cluster.Result r = cluster.mkctl("get", "ns", "demo");
    assertThat(r.stdout()).containsPattern("demo\\s+Active");
  }

  @Test
  @Order(6)
  void deletingTheNamespaceRemovesItAndItsObjects() {
    Cluster.Result r = cluster.mkctl("delete", "namespace", "demo");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("namespace \"demo\" deleted");
    assertThat(cluster.client().find(Kinds.NAMESPACE, "", "demo")).isEmpty();
    assertThat(cluster.client().list(Kinds.DEPLOYMENT, ListOptions.inNamespace("demo")).items()).isEmpty();
  }
}
