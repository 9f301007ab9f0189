package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Pod;
import io.minik8s.client.api.Kinds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetCommandTest {
  private MkctlHarness mkctl;

  @BeforeEach
  void start() throws IOException {
    mkctl = new MkctlHarness();
  }

  @AfterEach
  void stop() {
    mkctl.close();
  }

  @Test
  void printsAnAlignedTableOfTheNamespace() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "database-0", 3 * 3600 + 600).toBuilder()
        .setStatus(Objects.runningPod("", "", 0).getStatus().toBuilder().setPhase("Pending")
            .setContainerStatuses(0, Objects.runningPod("", "", 0).getStatus().getContainerStatuses(0).toBuilder()
                .setReady(false).setRestartCount(3).setState(io.minik8s.api.ContainerState.newBuilder()
                    .setWaiting(io.minik8s.api.ContainerStateWaiting.newBuilder().setReason("CrashLoopBackOff")))))
        .build());
    mkctl.api.put(Objects.runningPod("other", "elsewhere", 45));

    MkctlHarness.Result result = mkctl.run("get", "pods");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(""
        + "NAME         READY   STATUS             RESTARTS   AGE\n"
        + "database-0   0/1     CrashLoopBackOff   3          3h10m\n"
        + "web          1/1     Running            0          45s\n");
  }

  @Test
  void allNamespacesAddsANamespaceColumnAndWideAddsColumns() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("other", "db", 120));

    MkctlHarness.Result result = mkctl.run("get", "po", "-A", "-o", "wide");

    assertThat(result.out()).isEqualTo(""
        + "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES\n"
        + "default     web    1/1     Running   0          45s   10.1.0.5   node-1   <none>           <none>\n"
        + "other       db     1/1     Running   0          2m    10.1.0.5   node-1   <none>           <none>\n");
  }

  @Test
  void severalTypesPrintOneTableEachWithTypedNames() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.service("default", "web", 600));

    MkctlHarness.Result result = mkctl.run("get", "pods,svc");

    assertThat(result.out()).isEqualTo(""
        + "NAME      READY   STATUS    RESTARTS   AGE\n"
        + "pod/web   1/1     Running   0          45s\n"
        + "\n"
        + "NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        + "service/web   ClusterIP   10.96.0.20   <none>        80/TCP    10m\n");
  }

  @Test
  void clusterScopedKindsIgnoreTheNamespace() {
    mkctl.api.put(Objects.namespace("default", 10 * 86400));
    mkctl.api.put(Objects.namespace("demo", 30));

    MkctlHarness.Result result = mkctl.run("get", "ns", "-n", "whatever", "--no-headers");

    assertThat(result.out()).isEqualTo(""
        + "default   Active   10d\n"
        + "demo      Active   30s\n");
  }

  @Test
  void anEmptyResultSaysSoOnStderr() {
    MkctlHarness.Result result = mkctl.run("get", "pods", "-n", "demo");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("No resources found in demo namespace.\n");
    assertThat(mkctl.run("get", "nodes").err()).isEqualTo("No resources found\n");
  }

  @Test
  void aMissingObjectIsNotFoundWhileTheOthersArePrinted() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));

    MkctlHarness.Result result = mkctl.run("get", "pods", "x", "web", "-o", "name");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("Error from server (NotFound): pods \"x\" not found\n");
    assertThat(result.out()).isEqualTo("pod/web\n");
  }

  @Test
  void oneNamedObjectPrintsItselfAndSeveralPrintAList() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "db", 45));

    String one = mkctl.run("get", "pod", "web", "-o", "yaml").out();
    assertThat(one).startsWith("apiVersion: v1\nkind: Pod\nmetadata:\n").contains("  name: web\n")
        .doesNotContain("items:");

    String all = mkctl.run("get", "pods", "-o", "yaml").out();
    assertThat(all).contains("kind: List").contains("items:").contains("name: web").contains("name: db");

    String json = mkctl.run("get", "pod/web", "-o", "json").out();
    assertThat(json).startsWith("{").contains("\"kind\": \"Pod\"");
  }

  @Test
  void typeSlashNameArgumentsAndDeploymentNames() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.service("default", "web", 45));

    MkctlHarness.Result result = mkctl.run("get", "pod/web", "svc/web", "-o", "name");

    assertThat(result.out()).isEqualTo("pod/web\nservice/web\n");
  }

  @Test
  void selectorsArePassedToTheServerAndCheckedFirst() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "db", 45));

    assertThat(mkctl.run("get", "pods", "-l", "app=db", "-o", "name").out()).isEqualTo("pod/db\n");
    assertThat(mkctl.run("get", "pods", "--field-selector", "metadata.name=web", "-o", "name").out())
        .isEqualTo("pod/web\n");
    MkctlHarness.Result bad = mkctl.run("get", "pods", "-l", "app in (");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("error: invalid label selector");
  }

  @Test
  void unknownTypesAndFormatsAreUsageErrors() {
    MkctlHarness.Result type = mkctl.run("get", "widgets");
    assertThat(type.exitCode()).isEqualTo(1);
    assertThat(type.err()).isEqualTo("error: the server doesn't have a resource type \"widgets\"\n");

    MkctlHarness.Result format = mkctl.run("get", "pods", "-o", "xml");
    assertThat(format.exitCode()).isEqualTo(1);
    assertThat(format.err()).contains("unable to match a printer suitable for the output format \"xml\"");

    MkctlHarness.Result flag = mkctl.run("get", "pods", "--bogus");
    assertThat(flag.exitCode()).isEqualTo(1);
    assertThat(flag.err()).startsWith("error: Unknown option: '--bogus'");
  }

  @Test
  void watchPrintsTheTableThenOneRowPerChangeAndReListsWhenExpired() throws Exception {
    FakeApiServer api = mkctl.api;
    Pod web = api.put(Objects.runningPod("default", "web", 45));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command = new Thread(() -> exit.set(Mkctl.run(
        mkctl.context("", new PrintStream(out, true, StandardCharsets.UTF_8), System.err), "get", "pods", "-w")));
    command.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() == 1);
      api.put(Objects.runningPod("default", "db", 10));
      Pod terminating = web.toBuilder().setMetadata(web.getMetadata().toBuilder()
          .setDeletionTimestamp(FakeApiServer.ts(MkctlHarness.NOW))).build();
      api.put(terminating);
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("Terminating"));

      api.expireWatches(() -> api.put(Objects.runningPod("default", "cache", 5)));
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("cache"));
      await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() == 1);
      api.finishDeletion(Kinds.POD, "default", "web");
      await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == 6);
    } finally {
      command.interrupt();
      command.join(10_000);
    }

    assertThat(exit.get()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(""
        + "NAME   READY   STATUS    RESTARTS   AGE\n"
        + "web    1/1     Running   0          45s\n"
        + "db     1/1     Running   0          10s\n"
        + "web    1/1     Terminating   0          45s\n"
        + "cache   1/1     Running       0          5s\n"
        + "web     1/1     Terminating   0          45s\n");
  }
}
