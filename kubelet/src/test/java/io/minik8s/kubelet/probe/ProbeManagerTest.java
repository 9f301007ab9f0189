package io.minik8s.kubelet.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.ExecAction;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Pod;
import io.minik8s.api.Probe;
import io.minik8s.api.TCPSocketAction;
import io.minik8s.kubelet.cri.ContainerSpec;
import io.minik8s.kubelet.cri.ExecResult;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.runtime.PodLabels;
import io.minik8s.kubelet.runtime.RuntimePodReader;
import io.minik8s.kubelet.testing.Pods;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeManagerTest {
  private final FakeRuntime runtime = new FakeRuntime().addImage(Pods.IMAGE);
  private final ConcurrentLinkedQueue<String> changes = new ConcurrentLinkedQueue<>();
  private final ProbeManager probes = new ProbeManager(runtime, changes::add);

  @AfterEach
  void close() {
    probes.close();
  }

  private String run(Pod pod, Container c) {
    SandboxSpec s = SandboxSpec.builder(pod.getMetadata().getName(), "default", pod.getMetadata().getUid())
        .labels(Map.of(PodLabels.POD_UID, pod.getMetadata().getUid())).build();
    String sandbox = runtime.runSandbox(s);
    String id = runtime.createContainer(sandbox, ContainerSpec.builder(c.getName(), c.getImage())
        .labels(Map.of(PodLabels.POD_UID, pod.getMetadata().getUid(), PodLabels.CONTAINER_NAME, c.getName())).build(), s);
    runtime.startContainer(id);
    return id;
  }

  private static Probe exec(String... command) {
    return Probe.newBuilder().setExec(ExecAction.newBuilder().addAllCommand(List.of(command))).setPeriodSeconds(1)
        .setTimeoutSeconds(1).setSuccessThreshold(1).setFailureThreshold(1).build();
  }

  @Test
  void readinessFollowsTheProbeAndEachChangeRequeuesThePod() {
    AtomicBoolean healthy = new AtomicBoolean(true);
    runtime.onExec((id, cmd) -> new ExecResult(healthy.get() ? 0 : 1, "", ""));
    Container c = Pods.container("c", "sleep", "1").toBuilder().setReadinessProbe(exec("check")).build();
    Pod pod = Pods.pod("web", "Always", c);
    String id = run(pod, c);

    assertThat(probes.readiness(id)).isEmpty();
    probes.sync(pod, new RuntimePodReader(runtime).read(pod.getMetadata().getUid()));

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.readiness(id).orElse(false));
    assertThat(changes).containsExactly(pod.getMetadata().getUid());
    healthy.set(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> !probes.readiness(id).orElse(true));
    assertThat(changes).hasSize(2);

    probes.forget(pod.getMetadata().getUid());
    assertThat(probes.readiness(id)).isEmpty();
  }

  @Test
  void livenessFailsOnlyAfterFailureThresholdFailuresInARow() {
    runtime.onExec((id, cmd) -> new ExecResult(1, "", "dead"));
    Probe liveness = exec("check").toBuilder().setFailureThreshold(2).build();
    Container c = Pods.container("c", "sleep", "1").toBuilder().setLivenessProbe(liveness).build();
    Pod pod = Pods.pod("web", "Always", c);
    String id = run(pod, c);
    long start = System.nanoTime();
    probes.sync(pod, new RuntimePodReader(runtime).read(pod.getMetadata().getUid()));

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.livenessFailed(id));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("second failure, one period later")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(changes).containsExactly(pod.getMetadata().getUid());
  }

  @Test
  void aStartupProbeHoldsOffTheOtherProbesUntilItSucceedsAndThenNeverRunsAgain() {
    AtomicBoolean startupOk = new AtomicBoolean(false);
    ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
    runtime.onExec((id, cmd) -> {
      ran.add(cmd.get(0));
      return new ExecResult(cmd.get(0).equals("startup") && !startupOk.get() ? 1 : 0, "", "");
    });
    Container c = Pods.container("c", "sleep", "1").toBuilder()
        .setStartupProbe(exec("startup").toBuilder().setFailureThreshold(100))
        .setReadinessProbe(exec("ready")).setLivenessProbe(exec("live")).build();
    Pod pod = Pods.pod("web", "Always", c);
    String id = run(pod, c);
    probes.sync(pod, new RuntimePodReader(runtime).read(pod.getMetadata().getUid()));

    await().atMost(Duration.ofSeconds(5)).until(() -> count(ran, "startup") >= 2);
    assertThat(ran).as("only the startup probe runs").containsOnly("startup");
    assertThat(probes.started(id)).isFalse();
    assertThat(probes.startupFailed(id)).isFalse();
    assertThat(changes).isEmpty();

    startupOk.set(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> probes.started(id));
    assertThat(changes).containsExactly(pod.getMetadata().getUid());
    probes.sync(pod, new RuntimePodReader(runtime).read(pod.getMetadata().getUid())); // what the woken pod worker does

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.readiness(id).orElse(false));
    long startups = count(ran, "startup");
    await().atMost(Duration.ofSeconds(5)).until(() -> count(ran, "live") >= 2 && count(ran, "ready") >= 2);
    assertThat(count(ran, "startup")).as("never again once it succeeded").isEqualTo(startups);
    assertThat(probes.started(id)).isTrue();

    probes.forget(pod.getMetadata().getUid());
    assertThat(probes.started(id)).isFalse();
  }

  @Test
  void startupFailsAfterFailureThresholdFailuresAndTheOtherProbesNeverRan() {
    ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();
    runtime.onExec((id, cmd) -> {
      ran.add(cmd.get(0));
      return new ExecResult(1, "", "not yet");
    });
    Container c = Pods.container("c", "sleep", "1").toBuilder()
        .setStartupProbe(exec("startup").toBuilder().setFailureThreshold(2)).setLivenessProbe(exec("live")).build();
    Pod pod = Pods.pod("web", "Always", c);
    String id = run(pod, c);
    probes.sync(pod, new RuntimePodReader(runtime).read(pod.getMetadata().getUid()));

    await().atMost(Duration.ofSeconds(5)).until(() -> probes.startupFailed(id));
    assertThat(probes.started(id)).isFalse();
    assertThat(probes.livenessFailed(id)).isFalse();
    assertThat(ran).containsOnly("startup");
    assertThat(changes).containsExactly(pod.getMetadata().getUid());
  }

  private static long count(ConcurrentLinkedQueue<String> ran, String command) {
    return ran.stream().filter(command::equals).count();
  }

  @Test
  void httpGetAndTcpSocketProbes() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.createContext("/broken", x -> {
      x.sendResponseHeaders(500, -1);
      x.close();
    });
    server.start();
    try {
      Prober prober = new Prober(runtime);
      int port = server.getAddress().getPort();
      Container c = Pods.container("c").toBuilder()
          .addPorts(ContainerPort.newBuilder().setName("http").setContainerPort(port)).build();
      Probe ok = Probe.newBuilder().setTimeoutSeconds(1).setHttpGet(HTTPGetAction.newBuilder().setPath("/ok")
          .setPort(IntOrString.newBuilder().setStrVal("http"))).build();
      Probe broken = Probe.newBuilder().setTimeoutSeconds(1).setHttpGet(HTTPGetAction.newBuilder().setPath("/broken")
          .setPort(IntOrString.newBuilder().setIntVal(port))).build();
      assertThat(prober.run(ok, c, "id", "127.0.0.1").success()).isTrue();
      Prober.Outcome failed = prober.run(broken, c, "id", "127.0.0.1");
      assertThat(failed.success()).isFalse();
      assertThat(failed.message()).contains("500");

      Probe tcp = Probe.newBuilder().setTimeoutSeconds(1).setTcpSocket(TCPSocketAction.newBuilder()
          .setPort(IntOrString.newBuilder().setIntVal(port))).build();
      assertThat(prober.run(tcp, c, "id", "127.0.0.1").success()).isTrue();
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      Probe tcpClosed = tcp.toBuilder().setTcpSocket(tcp.getTcpSocket().toBuilder()
          .setPort(IntOrString.newBuilder().setIntVal(closed))).build();
      assertThat(prober.run(tcpClosed, c, "id", "127.0.0.1").success()).isFalse();
    } finally {
      server.stop(0);
    }
  }
}
