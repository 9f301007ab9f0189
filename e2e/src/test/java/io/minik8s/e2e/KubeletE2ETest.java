package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerStatus;
import io.minik8s.api.Event;
import io.minik8s.api.ExecAction;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.Probe;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.cri.v1.ListPodSandboxRequest;
import io.minik8s.cri.v1.PodSandbox;
import io.minik8s.cri.v1.RuntimeServiceGrpc;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kubelet as a real process on a real containerd (a private one, with CNI and the local busybox
 * image), against a real API server on a real etcd. Pods are created bound to the node directly (no
 * scheduler). Runs as root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletE2ETest {
  private static final String NODE = "node-1";
  private static final String BUSYBOX = "localhost/busybox:latest";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ContainerdProcess containerd;
  private Cluster cluster;
  private ApiClient client;
  private ProcessRunner kubelet;
  private int logPort;
  private int healthPort;
  private Path podLogDir;
  private EventLoopGroup criGroup;
  private ManagedChannel criChannel;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void startNode() throws Exception {
    containerd = ContainerdProcess.start();
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    List<Integer> ports = FreePorts.take(2);
    logPort = ports.get(0);
    healthPort = ports.get(1);
    podLogDir = Files.createTempDirectory("kubelet-e2e-pods");
    kubelet = cluster.startComponent("kubelet", "kubelet", "--apiserver", cluster.server(), "--node-name", NODE,
        "--container-runtime-endpoint", "unix://" + containerd.socketPath(), "--pod-cidr", containerd.subnet(),
        "--health-port", Integer.toString(healthPort), "--health-bind-address", "127.0.0.1",
        "--log-port", Integer.toString(logPort), "--restart-backoff-base", "1s",
        "--node-status-update-frequency", "2s", "--pod-log-dir", podLogDir.toString());
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + healthPort + "/readyz"), Duration.ofSeconds(60));
    criGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("e2e-cri", true), EpollIoHandler.newFactory());
    criChannel = NettyChannelBuilder.forAddress(new DomainSocketAddress(containerd.socketPath())).eventLoopGroup(criGroup)
        .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class).overrideAuthority("localhost")
        .usePlaintext().build();
  }

  @AfterAll
  void stopNode() throws Exception {
    if (kubelet != null) {
      kubelet.stop(Duration.ofSeconds(20));
    }
    if (criChannel != null) {
      criChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      criGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  @Test
  void theNodeRegistersAndIsReadyWithItsLease() {
    await().atMost(WAIT).untilAsserted(() -> {
      Node node = client.get(Kinds.NODE, "", NODE);
      assertThat(node.getStatus().getConditionsList()).filteredOn(c -> c.getType().equals("Ready"))
          .extracting(NodeCondition::getStatus).containsExactly("True");
    });
    Node node = client.get(Kinds.NODE, "", NODE);
    assertThat(node.getMetadata().getLabelsMap()).containsEntry("kubernetes.io/hostname", NODE)
        .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64");
    assertThat(node.getSpec().getPodCidr()).isEqualTo(containerd.subnet());
    assertThat(node.getStatus().getCapacityMap()).containsKeys("cpu", "memory").containsEntry("pods", "110");
    assertThat(node.getStatus().getCapacityMap().get("memory")).endsWith("Ki");
    assertThat(node.getStatus().getAllocatableMap()).isEqualTo(node.getStatus().getCapacityMap());
    assertThat(node.getStatus().getAddressesList()).extracting(a -> a.getType())
        .containsExactly("InternalIP", "Hostname");
    assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://1.");
    assertThat(node.getStatus().getNodeInfo().getKernelVersion()).isNotEmpty();
    assertThat(node.getStatus().getNodeInfo().getOsImage()).isNotEmpty();
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(logPort);
    NodeCondition ready = node.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow();
    long heartbeat = ready.getLastHeartbeatTime().getSeconds();
    // Heartbeats every --node-status-update-frequency (2 s here).
    await().atMost(WAIT).until(() -> client.get(Kinds.NODE, "", NODE).getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getLastHeartbeatTime().getSeconds() > heartbeat);
    Lease lease = await().atMost(WAIT).until(() -> client.find(Kinds.LEASE, "kube-node-lease", NODE), Optional::isPresent)
        .orElseThrow();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(NODE);
    assertThat(lease.getSpec().hasRenewTime()).isTrue();
  }

  @Test
  void anHttpdPodRunsAndServesOnItsPodIp() throws Exception {
    Pod pod = create(pod("web", "Always", container("httpd", "httpd", "-f", "-p", "8080", "-h", "/www")));
    Pod running = awaitPhase(pod, "Running");

    assertThat(running.getStatus().getPodIp()).isNotEmpty();
    assertThat(running.getStatus().getHostIp()).isNotEmpty();
    assertThat(running.getStatus().hasStartTime()).isTrue();
    ContainerStatus cs = running.getStatus().getContainerStatuses(0);
    assertThat(cs.getContainerId()).startsWith("containerd://");
    assertThat(cs.getImageId()).isNotEmpty();
    assertThat(cs.getState().getRunning().hasStartedAt()).isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(pod).getStatus().getConditionsList())
        .filteredOn(c -> c.getType().equals("Ready")).extracting(c -> c.getStatus()).containsExactly("True"));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + running.getStatus().getPodIp() + ":8080/"))
        .timeout(Duration.ofSeconds(2)).build();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from minik8s\n"));
    // What the kubelet did is recorded as events on the pod.
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.list(Kinds.EVENT, ListOptions.inNamespace("default")
            .withFieldSelector("involvedObject.name=web")).items())
        .extracting(Event::getReason).contains("Pulled", "Created", "Started"));
  }

  @Test
  void probesDecideReadinessAndAFailingLivenessProbeRestartsTheContainer() {
    Container web = container("web", "httpd", "-f", "-p", "8080", "-h", "/www").toBuilder()
        .setReadinessProbe(Probe.newBuilder().setPeriodSeconds(1).setHttpGet(HTTPGetAction.newBuilder()
            .setPath("/").setPort(IntOrString.newBuilder().setIntVal(8080))))
        .build();
    Container doomed = container("doomed", "sleep", "3600").toBuilder()
        .setLivenessProbe(Probe.newBuilder().setPeriodSeconds(1).setFailureThreshold(2)
            .setExec(ExecAction.newBuilder().addCommand("false")))
        .build();
    Pod pod = create(pod("probed", "Always", web, doomed).toBuilder()
        .setSpec(pod("probed", "Always", web, doomed).getSpec().toBuilder().setTerminationGracePeriodSeconds(1))
        .build());
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(pod).getStatus().getContainerStatusesList())
        .filteredOn(s -> s.getName().equals("web")).extracting(ContainerStatus::getReady).containsExactly(true));
    await().atMost(WAIT).untilAsserted(() -> assertThat(get(pod).getStatus().getContainerStatusesList())
        .filteredOn(s -> s.getName().equals("doomed")).extracting(ContainerStatus::getRestartCount)
        .allMatch(n -> n >= 1));
    assertThat(get(pod).getStatus().getContainerStatusesList()).filteredOn(s -> s.getName().equals("web"))
        .extracting(ContainerStatus::getRestartCount).containsExactly(0);
  }

  @Test
  void twoContainersOfAPodShareLocalhost() throws Exception {
    Pod pod = create(pod("pair", "Always",
        container("web", "httpd", "-f", "-p", "8080", "-h", "/www"),
        container("client", "sh", "-c", "until wget -q -O- http://127.0.0.1:8080/; do sleep 0.2; done; sleep 3600")));
    awaitPhase(pod, "Running");
    // Stays: neither container is ever restarted, both stay ready.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Pod p = get(pod);
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getStatus().getContainerStatusesList()).allSatisfy(s -> {
        assertThat(s.getRestartCount()).isZero();
        assertThat(s.getState().hasRunning()).isTrue();
      });
    });
    String logs = await().atMost(WAIT).until(() -> containerLogs("pair", "client", ""), s -> s.contains("hello from minik8s"));
    assertThat(logs).contains("hello from minik8s");
  }

  @Test
  void aCrashingContainerUnderAlwaysIsRestartedWithBackOff() throws Exception {
    Pod pod = create(pod("crash", "Always", container("c", "sh", "-c", "echo crashing; exit 1")));
    Pod p = await().atMost(WAIT).until(() -> get(pod),
        x -> x.getStatus().getContainerStatusesCount() == 1 && x.getStatus().getContainerStatuses(0).getRestartCount() >= 2);
    ContainerStatus cs = p.getStatus().getContainerStatuses(0);
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    assertThat(containerLogs("crash", "c", "?previous=true")).isEqualTo("crashing\n");
  }

  @Test
  void aFailingContainerUnderNeverEndsTheFailedPod() {
    Pod pod = create(pod("once", "Never", container("c", "sh", "-c", "exit 3")));
    Pod failed = awaitPhase(pod, "Failed");
    ContainerStatus cs = failed.getStatus().getContainerStatuses(0);
    assertThat(cs.getState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(cs.getRestartCount()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(sandboxesOf(pod)).extracting(PodSandbox::getState)
        .containsExactly(io.minik8s.cri.v1.PodSandboxState.SANDBOX_NOTREADY));
  }

  @Test
  void aDeletedPodIsStoppedWithinItsGracePeriodAndLeavesNoSandbox() {
    Pod pod = create(pod("doomed", "Always", container("c", "sleep", "3600")));
    awaitPhase(pod, "Running");
    assertThat(sandboxesOf(pod)).hasSize(1);

    long start = System.nanoTime();
    client.delete(Kinds.POD, "default", "doomed", DeleteOptions.gracePeriod(2));

    await().atMost(WAIT).until(() -> client.find(Kinds.POD, "default", "doomed").isEmpty());
    // sleep as PID 1 ignores SIGTERM: it dies by SIGKILL when the 2 s are up.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(sandboxesOf(pod)).isEmpty();
  }

  @Test
  void aKilledKubeletAdoptsItsRunningPodsAndRemovesPodsDeletedMeanwhile() {
    Pod kept = create(pod("survivor", "Always", container("c", "sleep", "3600")));
    // The kubelet stops a pod it finds gone from the API with the grace period its containers were made
    // with (sleep, as PID 1, ignores SIGTERM and waits for the SIGKILL): keep it short.
    Pod shortGrace = pod("deleted-while-down", "Always", container("c", "sleep", "3600"));
    Pod gone = create(shortGrace.toBuilder().setSpec(shortGrace.getSpec().toBuilder().setTerminationGracePeriodSeconds(2))
        .build());
    String containerId = awaitPhase(kept, "Running").getStatus().getContainerStatuses(0).getContainerId();
    awaitPhase(gone, "Running");
    String sandboxId = sandboxesOf(kept).get(0).getId();

    kubelet.kill();
    // Pods deleted while their node's kubelet is down: force-deleted, as an admin would.
    client.delete(Kinds.POD, "default", "deleted-while-down", DeleteOptions.gracePeriod(0));
    assertThat(sandboxesOf(gone)).hasSize(1);
    kubelet.start();
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + healthPort + "/readyz"), Duration.ofSeconds(60));

    await().atMost(WAIT).untilAsserted(() -> assertThat(sandboxesOf(gone)).isEmpty());
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Pod p = get(kept);
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getStatus().getContainerStatuses(0).getContainerId()).isEqualTo(containerId);
      assertThat(p.getStatus().getContainerStatuses(0).getRestartCount()).isZero();
    });
    assertThat(sandboxesOf(kept)).extracting(PodSandbox::getId).containsExactly(sandboxId);
  }

  @Test
  void theLogServerShowsWhatAContainerPrintedAndFollowsIt() throws Exception {
    Pod pod = create(pod("talker", "Always", container("c", "sh", "-c",
        "echo line one; echo line two >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done")));
    awaitPhase(pod, "Running");

    String all = await().atMost(WAIT).until(() -> containerLogs("talker", "c", ""), s -> s.contains("tick 2"));
    // stdout and stderr are copied to the file by two readers in the runtime: their lines may interleave.
    assertThat(all.lines()).contains("line one", "line two");
    assertThat(all.lines().filter(l -> l.startsWith("tick")).limit(2)).containsExactly("tick 1", "tick 2");
    assertThat(containerLogs("talker", "c", "?tailLines=1")).matches("tick \\d+\n");
    assertThat(containerLogs("talker", "c", "?timestamps=true")).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\S+Z line one$");

    HttpResponse<InputStream> follow = http.send(logRequest("talker", "c", "?follow=true&tailLines=0"),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(follow.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8))) {
      while (lines.size() < 3) {
        lines.add(r.readLine());
      }
    }
    assertThat(lines).allMatch(l -> l.matches("tick \\d+"));
    int first = Integer.parseInt(lines.get(0).substring(5));
    assertThat(lines).containsExactly("tick " + first, "tick " + (first + 1), "tick " + (first + 2));

    assertThat(http.send(logRequest("talker", "nope", ""), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
  }

  // ---- helpers ----

  private static Container container(String name, String... command) {
    return Container.newBuilder().setName(name).setImage(BUSYBOX).addAllCommand(List.of(command)).build();
  }

  private static Pod pod(String name, String restartPolicy, Container... containers) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default"))
        .setSpec(PodSpec.newBuilder().setNodeName(NODE).setRestartPolicy(restartPolicy)
            .addAllContainers(List.of(containers)))
        .build();
  }

  private Pod create(Pod pod) {
    return client.create(pod);
  }

  private Pod get(Pod pod) {
    return client.get(Kinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private Pod awaitPhase(Pod pod, String phase) {
    return await().atMost(WAIT).until(() -> get(pod), p -> p.getStatus().getPhase().equals(phase));
  }

  private HttpRequest logRequest(String pod, String container, String query) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + logPort + "/containerLogs/default/" + pod + "/"
        + container + query)).timeout(Duration.ofSeconds(10)).build();
  }

  private String containerLogs(String pod, String container, String query) throws Exception {
    HttpResponse<String> r = http.send(logRequest(pod, container, query), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The pod's sandboxes as containerd lists them. */
  private List<PodSandbox> sandboxesOf(Pod pod) {
    ListPodSandboxRequest.Builder req = ListPodSandboxRequest.newBuilder();
    req.getFilterBuilder().putLabelSelector("io.kubernetes.pod.uid", pod.getMetadata().getUid());
    return RuntimeServiceGrpc.newBlockingStub(criChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listPodSandbox(req.build()).getItemsList();
  }
}
