package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Deployment;
import io.minik8s.api.Namespace;
import io.minik8s.api.Pod;
import io.minik8s.cli.apply.Applier;
import io.minik8s.client.api.Kinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
  private static final String POD = ""
      + "apiVersion: v1\n"
      + "kind: Pod\n"
      + "metadata:\n"
      + "  name: web\n"
      + "  labels:\n"
      + "    app: web\n"
      + "    tier: fe\n"
      + "spec:\n"
      + "  containers:\n"
      + "  - name: web\n"
      + "    image: nginx:1.25\n";

  @TempDir
  Path dir;
  private MkctlHarness mkctl;

  @BeforeEach
  void start() throws IOException {
    mkctl = new MkctlHarness();
  }

  @AfterEach
  void stop() {
    mkctl.close();
  }

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  @Test
  void createsThenReportsUnchangedThenConfigured() throws IOException {
    String file = write("pod.yaml", POD);

    MkctlHarness.Result created = mkctl.run("apply", "-f", file);
    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("pod/web created\n");
    Pod stored = mkctl.api.stored(Kinds.POD, "default", "web").orElseThrow();
    assertThat(stored.getMetadata().getAnnotationsMap()).containsKey(Applier.LAST_APPLIED);
    assertThat(stored.getMetadata().getAnnotationsMap().get(Applier.LAST_APPLIED))
        .contains("\"name\":\"web\"").contains("\"namespace\":\"default\"");

    MkctlHarness.Result again = mkctl.run("apply", "-f", file);
    assertThat(again.out()).isEqualTo("pod/web unchanged\n");
    assertThat(mkctl.api.writes()).containsExactly("create pods/default/web");

    write("pod.yaml", POD.replace("nginx:1.25", "nginx:1.26"));
    MkctlHarness.Result changed = mkctl.run("apply", "-f", file);
    assertThat(changed.out()).isEqualTo("pod/web configured\n");
    assertThat(mkctl.api.stored(Kinds.POD, "default", "web").orElseThrow().getSpec().getContainers(0).getImage())
        .isEqualTo("nginx:1.26");
  }

  @Test
  void keepsWhatOthersSetRemovesWhatTheUserDroppedAndKeepsOthersLabels() throws IOException {
    String file = write("pod.yaml", POD);
    mkctl.run("apply", "-f", file);
    // The scheduler binds the pod and a controller adds a label of its own.
    Pod live = mkctl.api.stored(Kinds.POD, "default", "web").orElseThrow();
    mkctl.api.put(live.toBuilder().setSpec(live.getSpec().toBuilder().setNodeName("node-1"))
        .setMetadata(live.getMetadata().toBuilder().putLabels("pod-template-hash", "abc")).build());

    write("pod.yaml", POD.replace("    tier: fe\n", "    track: stable\n"));
    MkctlHarness.Result result = mkctl.run("apply", "-f", file);

    assertThat(result.out()).isEqualTo("pod/web configured\n");
    Pod after = mkctl.api.stored(Kinds.POD, "default", "web").orElseThrow();
    assertThat(after.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(after.getMetadata().getLabelsMap())
        .containsOnlyKeys("app", "track", "pod-template-hash");
    assertThat(after.getMetadata().getUid()).isEqualTo(live.getMetadata().getUid());
  }

  @Test
  void appliesNamespacesFirstThenFileOrderAcrossADirectory() throws IOException {
    Path manifests = Files.createDirectory(dir.resolve("app"));
    Files.writeString(manifests.resolve("b-deploy.yaml"), ""
        + "apiVersion: apps/v1\n"
        + "kind: Deployment\n"
        + "metadata:\n"
        + "  name: web\n"
        + "  namespace: demo\n"
        + "spec:\n"
        + "  replicas: 2\n"
        + "  selector:\n"
        + "    matchLabels: {app: web}\n"
        + "  template:\n"
        + "    metadata:\n"
        + "      labels: {app: web}\n"
        + "    spec:\n"
        + "      containers:\n"
        + "      - name: web\n"
        + "        image: nginx\n"
        + "---\n"
        + "apiVersion: v1\n"
        + "kind: Namespace\n"
        + "metadata:\n"
        + "  name: demo\n");
    Files.writeString(manifests.resolve("a-pod.yml"), POD.replace("name: web\n  labels", "name: first\n  labels"));
    Files.writeString(manifests.resolve("notes.txt"), "not a manifest");

    MkctlHarness.Result result = mkctl.run("apply", "-f", manifests.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("namespace/demo created\npod/first created\ndeployment.apps/web created\n");
    assertThat(mkctl.api.stored(Kinds.DEPLOYMENT, "demo", "web")).map(d -> d.getSpec().getReplicas()).contains(2);
    assertThat(mkctl.api.stored(Kinds.NAMESPACE, "", "demo")).isPresent();
  }

  @Test
  void aManifestThatDoesNotDecodeSendsNothingAndReportsEveryProblem() throws IOException {
    String good = write("good.yaml", POD);
    String bad = write("bad.yaml", ""
        + "apiVersion: v1\n"
        + "kind: Pod\n"
        + "metadata:\n"
        + "  name: broken\n"
        + "spec:\n"
        + "  containerz: []\n"
        + "---\n"
        + "apiVersion: v1\n"
        + "kind: Gizmo\n"
        + "metadata:\n"
        + "  name: g\n");

    MkctlHarness.Result result = mkctl.run("apply", "-f", good, "-f", bad);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("bad.yaml").contains("containerz").contains("Gizmo");
    assertThat(result.err().lines().filter(l -> l.startsWith("error: "))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(mkctl.api.writes()).isEmpty();
    assertThat(mkctl.connectedTo()).isNull();
  }

  @Test
  void aMissingFileIsAnError() {
    MkctlHarness.Result result = mkctl.run("apply", "-f", dir.resolve("nope.yaml").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("error: the path \"" + dir.resolve("nope.yaml") + "\" does not exist");
  }

  @Test
  void serverErrorsArePrintedLikeKubectlAndTheOtherObjectsAreStillApplied() throws IOException {
    String file = write("pods.yaml", POD.replace("nginx:1.25", "\"\"") + "---\n" + POD.replace("name: web\n  labels",
        "name: other\n  labels"));

    MkctlHarness.Result result = mkctl.run("apply", "-f", file);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("Error from server (Invalid): error when creating \"" + file
        + "\": Pod \"web\" is invalid: spec.containers[0].image: Required value\n");
    assertThat(result.out()).isEqualTo("pod/other created\n");
  }

  @Test
  void readsStdinAndHonoursTheNamespaceFlag() {
    MkctlHarness.Result result = mkctl.runWithInput(POD, "apply", "-n", "team-a", "-f", "-");

    assertThat(result.exitCode()).isZero();
    assertThat(mkctl.api.stored(Kinds.POD, "team-a", "web")).isPresent();
  }

  @Test
  void aManifestNamespaceThatContradictsTheFlagIsRefusedBeforeSending() throws IOException {
    String file = write("pod.yaml", POD.replace("  name: web\n", "  name: web\n  namespace: prod\n"));

    MkctlHarness.Result result = mkctl.run("apply", "-f", file, "--namespace", "dev");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("the namespace from the provided object \"prod\" does not match the namespace \"dev\"");
    assertThat(mkctl.api.writes()).isEmpty();
  }

  @Test
  void retriesWhenTheObjectChangesBetweenReadAndWrite() throws IOException {
    String file = write("deploy.yaml", ""
        + "apiVersion: apps/v1\n"
        + "kind: Deployment\n"
        + "metadata: {name: web}\n"
        + "spec:\n"
        + "  replicas: 1\n"
        + "  selector: {matchLabels: {app: web}}\n"
        + "  template:\n"
        + "    metadata: {labels: {app: web}}\n"
        + "    spec: {containers: [{name: web, image: nginx}]}\n");
    mkctl.run("apply", "-f", file);
    write("deploy.yaml", Files.readString(Path.of(file)).replace("replicas: 1", "replicas: 4"));
    // A racing writer: the first update the command sends carries a stale resourceVersion.
    Deployment live = mkctl.api.stored(Kinds.DEPLOYMENT, "default", "web").orElseThrow();
    FakeApiServer api = mkctl.api;
    api.beforeNextUpdate(() -> api.put(live.toBuilder()
        .setMetadata(live.getMetadata().toBuilder().putAnnotations("touched", "yes")).build()));

    MkctlHarness.Result result = mkctl.run("apply", "-f", file);

    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("deployment.apps/web configured\n");
    assertThat(api.stored(Kinds.DEPLOYMENT, "default", "web").orElseThrow().getSpec().getReplicas()).isEqualTo(4);
    assertThat(api.writes().stream().filter(w -> w.startsWith("update"))).hasSize(2);
  }

  @Test
  void reApplyingKeepsWhatTheServerFilledIntoListElementsAndIsUnchanged() throws IOException {
    String file = write("svc.yaml", ""
        + "apiVersion: v1\n"
        + "kind: Service\n"
        + "metadata: {name: web}\n"
        + "spec:\n"
        + "  type: NodePort\n"
        + "  selector: {app: web}\n"
        + "  ports:\n"
        + "  - port: 80\n"
        + "    targetPort: 8080\n");
    mkctl.run("apply", "-f", file);
    // The API server allocates the cluster IP and the node port and defaults the protocol.
    io.minik8s.api.Service created = mkctl.api.stored(Kinds.SERVICE, "default", "web").orElseThrow();
    mkctl.api.put(created.toBuilder().setSpec(created.getSpec().toBuilder().setClusterIp("10.96.0.7")
        .setPorts(0, created.getSpec().getPorts(0).toBuilder().setNodePort(30080).setProtocol("TCP"))).build());

    assertThat(mkctl.run("apply", "-f", file).out()).isEqualTo("service/web unchanged\n");

    write("svc.yaml", Files.readString(Path.of(file)).replace("targetPort: 8080", "targetPort: 9090"));
    assertThat(mkctl.run("apply", "-f", file).out()).isEqualTo("service/web configured\n");
    io.minik8s.api.Service after = mkctl.api.stored(Kinds.SERVICE, "default", "web").orElseThrow();
    assertThat(after.getSpec().getPorts(0).getNodePort()).isEqualTo(30080);
    assertThat(after.getSpec().getPorts(0).getTargetPort().getIntVal()).isEqualTo(9090);
    assertThat(after.getSpec().getClusterIp()).isEqualTo("10.96.0.7");
  }

  @Test
  void createRefusesObjectsThatExist() throws IOException {
    String file = write("pod.yaml", POD);
    assertThat(mkctl.run("create", "-f", file).out()).isEqualTo("pod/web created\n");

    MkctlHarness.Result again = mkctl.run("create", "-f", file);

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error from server (AlreadyExists): error when creating \"" + file
        + "\": pods \"web\" already exists\n");
  }

  @Test
  void namespacesAreClusterScoped() throws IOException {
    String file = write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n");
    mkctl.run("apply", "-f", file);

    MkctlHarness.Result again = mkctl.run("apply", "-f", file, "-n", "elsewhere");

    assertThat(again.out()).isEqualTo("namespace/demo unchanged\n");
    assertThat(mkctl.api.stored(Kinds.NAMESPACE, "", "demo").map(Namespace::getMetadata).orElseThrow().getNamespace())
        .isEmpty();
  }
}
