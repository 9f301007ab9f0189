package io.minik8s.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeRuntimeTest {
  private static final String IMAGE = "localhost/busybox:latest";
  private final FakeRuntime runtime = new FakeRuntime("10.1.2.0/29",
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).addImage(IMAGE);
  private final SandboxSpec pod = SandboxSpec.builder("web", "default", "uid-1").labels(Map.of("app", "web")).build();

  @Test
  void sandboxesGetDistinctAddressesThatAreReleasedOnStop() {
    String a = runtime.runSandbox(pod);
    String b = runtime.runSandbox(pod);
    assertThat(runtime.sandboxStatus(a).orElseThrow().ip()).isEqualTo("10.1.2.2");
    assertThat(runtime.sandboxStatus(b).orElseThrow().ip()).isEqualTo("10.1.2.3");

    runtime.stopSandbox(a);
    assertThat(runtime.sandboxStatus(a).orElseThrow().state()).isEqualTo(SandboxState.NOT_READY);
    assertThat(runtime.sandboxStatus(a).orElseThrow().ip()).isEmpty();
    String c = runtime.runSandbox(pod);
    assertThat(runtime.sandboxStatus(c).orElseThrow().ip()).isEqualTo("10.1.2.2");
  }

  @Test
  void aFullSubnetFailsRunPodSandbox() {
    for (int i = 0; i < 5; i++) {
      runtime.runSandbox(pod); // .2 .. .6 of a /29
    }
    assertThatThrownBy(() -> runtime.runSandbox(pod)).isInstanceOfSatisfying(CriException.class,
        e -> assertThat(e.call()).isEqualTo("RunPodSandbox")).hasMessageContaining("no IP addresses");
  }

  @Test
  void containersStartAtOnceAndExitWhenTheTestSays() {
    String sandbox = runtime.runSandbox(pod);
    String id = runtime.createContainer(sandbox, ContainerSpec.builder("main", IMAGE).build(), pod);
    assertThat(runtime.containerStatus(id).orElseThrow().state()).isEqualTo(ContainerState.CREATED);
    runtime.startContainer(id);
    assertThat(runtime.containerStatus(id).orElseThrow().running()).isTrue();

    runtime.exitContainer(id, 3);
    ContainerInfo exited = runtime.containerStatus(id).orElseThrow();
    assertThat(exited.state()).isEqualTo(ContainerState.EXITED);
    assertThat(exited.exitCode()).isEqualTo(3);
    assertThat(exited.reason()).isEqualTo("Error");
    assertThat(exited.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void stoppingASandboxKillsItsContainersAndRemovingItRemovesThem() {
    String sandbox = runtime.runSandbox(pod);
    String id = runtime.createContainer(sandbox, ContainerSpec.builder("main", IMAGE).build(), pod);
    runtime.startContainer(id);

    runtime.stopSandbox(sandbox);
    assertThat(runtime.containerStatus(id).orElseThrow().exitCode()).isEqualTo(137);
    assertThat(runtime.listContainers(ContainerFilter.all().inState(ContainerState.RUNNING))).isEmpty();

    runtime.removeSandbox(sandbox);
    assertThat(runtime.listContainers(ContainerFilter.all())).isEmpty();
    assertThat(runtime.listSandboxes(Map.of())).isEmpty();
    runtime.removeSandbox(sandbox);
    runtime.stopContainer(id, 0);
  }

  @Test
  void containersNeedAPresentImageAndAReadySandbox() {
    String sandbox = runtime.runSandbox(pod);
    assertThatThrownBy(() -> runtime.createContainer(sandbox, ContainerSpec.builder("c", "other:1").build(), pod))
        .isInstanceOf(CriException.class).hasMessageContaining("other:1");
    runtime.stopSandbox(sandbox);
    assertThatThrownBy(() -> runtime.createContainer(sandbox, ContainerSpec.builder("c", IMAGE).build(), pod))
        .isInstanceOf(CriException.class).hasMessageContaining("not ready");
    assertThatThrownBy(() -> runtime.createContainer("nope", ContainerSpec.builder("c", IMAGE).build(), pod))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void listsFilterByLabelsSandboxAndState() {
    String web = runtime.runSandbox(pod);
    String db = runtime.runSandbox(SandboxSpec.builder("db", "default", "uid-2").labels(Map.of("app", "db")).build());
    String a = runtime.createContainer(web, ContainerSpec.builder("a", IMAGE).labels(Map.of("c", "a")).build(), pod);
    String b = runtime.createContainer(db, ContainerSpec.builder("b", IMAGE).build(), pod);
    runtime.startContainer(b);

    assertThat(runtime.listSandboxes(Map.of("app", "db"))).extracting(SandboxSummary::id).containsExactly(db);
    assertThat(runtime.listContainers(ContainerFilter.inSandbox(web))).extracting(ContainerSummary::id).containsExactly(a);
    assertThat(runtime.listContainers(ContainerFilter.withLabels(Map.of("c", "a")))).extracting(ContainerSummary::id)
        .containsExactly(a);
    assertThat(runtime.listContainers(ContainerFilter.all().inState(ContainerState.RUNNING)))
        .extracting(ContainerSummary::id).containsExactly(b);
  }

  @Test
  void pullsAreRecordedAndCanFail() {
    assertThat(runtime.imagePresent("nginx:1")).isFalse();
    assertThat(runtime.pullImage("nginx:1")).startsWith("sha256:");
    assertThat(runtime.imagePresent("nginx:1")).isTrue();
    runtime.failPullsOf("private/secret:1");
    assertThatThrownBy(() -> runtime.pullImage("private/secret:1")).isInstanceOf(CriException.class);
    assertThat(runtime.pulls()).containsExactly("nginx:1");
  }

  @Test
  void execAnswersFromTheHandlerOnlyInRunningContainers() {
    String sandbox = runtime.runSandbox(pod);
    String id = runtime.createContainer(sandbox, ContainerSpec.builder("main", IMAGE).build(), pod);
    assertThatThrownBy(() -> runtime.execSync(id, List.of("true"), Duration.ofSeconds(1)))
        .isInstanceOf(CriException.class);
    runtime.startContainer(id);
    runtime.onExec((container, cmd) -> new ExecResult(cmd.equals(List.of("ready?")) ? 0 : 1, "", ""));
    assertThat(runtime.execSync(id, List.of("ready?"), Duration.ofSeconds(1)).succeeded()).isTrue();
    assertThat(runtime.execSync(id, List.of("other"), Duration.ofSeconds(1)).exitCode()).isEqualTo(1);
  }

  @Test
  void injectedFailuresHitTheNamedCallOnce() {
    runtime.failNext("RunPodSandbox", "CNI is down");
    assertThatThrownBy(() -> runtime.runSandbox(pod)).isInstanceOfSatisfying(CriException.class,
        e -> assertThat(e.call()).isEqualTo("RunPodSandbox")).hasMessageContaining("CNI is down");
    assertThat(runtime.runSandbox(pod)).isNotEmpty();
  }

  @Test
  void hostNetworkSandboxesGetNoAddress() {
    String id = runtime.runSandbox(pod.toBuilder().hostNetwork(true).build());
    assertThat(runtime.sandboxStatus(id).orElseThrow().ip()).isEmpty();
  }
}
