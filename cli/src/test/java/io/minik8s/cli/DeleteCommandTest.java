package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.client.api.Kinds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteCommandTest {
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
  void deletesEachNamedObject() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "db", 45));

    MkctlHarness.Result result = mkctl.run("delete", "pods", "web", "db");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("pod \"web\" deleted\npod \"db\" deleted\n");
    assertThat(mkctl.api.stored(Kinds.POD, "default", "web")).isEmpty();
    assertThat(mkctl.api.writes()).containsExactly("delete pods/default/web Background",
        "delete pods/default/db Background");
  }

  @Test
  void waitsUntilTheObjectIsReallyGone() throws Exception {
    waitsUntilGone(false);
  }

  @Test
  void waitsWithANamespaceWideWatchWhenTheServerRefusesFieldSelectors() throws Exception {
    waitsUntilGone(true);
  }

  private void waitsUntilGone(boolean refuseFieldSelectors) throws Exception {
    FakeApiServer api = mkctl.api;
    api.refuseWatchFieldSelectors(refuseFieldSelectors);
    api.gracefulPodDeletion(true);
    api.put(Objects.runningPod("default", "bystander", 45));
    api.put(Objects.runningPod("default", "web", 45));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command = new Thread(() -> exit.set(Mkctl.run(
        mkctl.context("", new PrintStream(out, true, StandardCharsets.UTF_8), System.err), "delete", "pod", "web")));
    command.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() == 1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pod \"web\" deleted\n");
    // Another pod vanishing is no reason to stop waiting.
    api.finishDeletion(Kinds.POD, "default", "bystander");
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(command::isAlive);
    assertThat(api.stored(Kinds.POD, "default", "web").orElseThrow().getMetadata().hasDeletionTimestamp()).isTrue();

    api.finishDeletion(Kinds.POD, "default", "web");
    command.join(10_000);

    assertThat(command.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
  }

  @Test
  void withoutWaitReturnsAtOnceAndTimeoutsAreReported() {
    mkctl.api.gracefulPodDeletion(true);
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "db", 45));

    MkctlHarness.Result noWait = mkctl.run("delete", "pod", "web", "--wait=false");
    assertThat(noWait.exitCode()).isZero();
    assertThat(mkctl.api.stored(Kinds.POD, "default", "web")).isPresent();

    MkctlHarness.Result timedOut = mkctl.run("delete", "pod", "db", "--timeout", "200ms");
    assertThat(timedOut.exitCode()).isEqualTo(1);
    assertThat(timedOut.err()).isEqualTo("error: timed out waiting for the condition on pods/db\n");
  }

  @Test
  void gracePeriodNowAndCascadeAreSent() {
    mkctl.api.put(Objects.runningPod("default", "a", 1));
    mkctl.api.put(Objects.runningPod("default", "b", 1));
    mkctl.api.put(Objects.runningPod("default", "c", 1));

    mkctl.run("delete", "pod", "a", "--grace-period", "5", "--cascade=orphan");
    mkctl.run("delete", "pod/b", "--now");
    MkctlHarness.Result forced = mkctl.run("delete", "pod", "c", "--force", "--cascade=foreground");

    assertThat(mkctl.api.writes()).containsExactly("delete pods/default/a grace=5 Orphan",
        "delete pods/default/b grace=1 Background", "delete pods/default/c grace=0 Foreground");
    assertThat(forced.err()).startsWith("Warning: Immediate deletion does not wait");
    MkctlHarness.Result bad = mkctl.run("delete", "pod", "x", "--cascade=sideways");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("invalid cascade value (sideways)");
  }

  @Test
  void aMissingObjectIsAnErrorUnlessIgnored() {
    MkctlHarness.Result missing = mkctl.run("delete", "deploy", "web");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error from server (NotFound): deployments.apps \"web\" not found\n");

    MkctlHarness.Result ignored = mkctl.run("delete", "deploy", "web", "--ignore-not-found");
    assertThat(ignored.exitCode()).isZero();
    assertThat(ignored.out()).isEmpty();
    assertThat(ignored.err()).isEmpty();
  }

  @Test
  void deletesTheObjectsOfAManifestNamespacesLast(@TempDir Path dir) throws IOException {
    mkctl.api.put(Objects.runningPod("team", "web", 45));
    mkctl.api.put(Objects.namespace("team", 45));
    Path file = dir.resolve("app.yaml");
    Files.writeString(file, ""
        + "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n"
        + "---\n"
        + "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: team}\n"
        + "spec: {containers: [{name: c, image: nginx}]}\n");

    MkctlHarness.Result result = mkctl.run("delete", "-f", file.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("pod \"web\" deleted\nnamespace \"team\" deleted\n");
  }

  @Test
  void deletesBySelector() {
    mkctl.api.put(Objects.runningPod("default", "web", 45));
    mkctl.api.put(Objects.runningPod("default", "db", 45));

    MkctlHarness.Result result = mkctl.run("delete", "pods", "-l", "app=db");

    assertThat(result.out()).isEqualTo("pod \"db\" deleted\n");
    assertThat(mkctl.run("delete", "pods").err())
        .isEqualTo("error: resource(s) were provided, but no name was specified\n");
  }
}
