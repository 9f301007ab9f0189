package io.minik8s.e2e;

import io.minik8s.testkit.Cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Container;
import io.minik8s.api.Event;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler as a real process against a real API server and etcd. No kubelet runs: the test
 * writes Node objects itself (Ready, with allocatable resources) and watches the scheduler bind pods
 * to them. The tests share one cluster and run in order; each uses its own namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> WORKERS = List.of("node-1", "node-2", "node-3");

  private Cluster cluster;
  private ApiClient client;
  private ProcessRunner schedulerA;
  private int healthA;
  private ProcessRunner schedulerB;

  @BeforeAll
  void startCluster() {
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    healthA = FreePorts.one();
    schedulerA = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(healthA), "--health-bind-address", "127.0.0.1",
        "--leader-elect=true", "--identity", "sched-a");
    schedulerA.awaitHttpOk(URI.create("http://127.0.0.1:" + healthA + "/readyz"), Duration.ofSeconds(60));
    for (String name : WORKERS) {
      client.create(node(name, "2", "4Gi"));
    }
  }

  @AfterAll
  void stopCluster() {
    if (schedulerB != null) {
      schedulerB.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void podsAreBoundAndSpreadAcrossTheNodes() throws Exception {
    String ns = namespace("spread");
    for (int i = 0; i < 20; i++) {
      client.create(pod(ns, "web-" + i, null));
    }

    eventually("20 pods bound", () -> assertThat(pods(ns)).allSatisfy(p ->
        assertThat(p.getSpec().getNodeName()).isNotEmpty()).hasSize(20));

    Map<String, Long> perNode = pods(ns).stream()
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), TreeMap::new, Collectors.counting()));
    assertThat(perNode.keySet()).containsExactlyElementsOf(WORKERS);
    // Every pod counts 100m/200Mi for spreading and the scheduler counts each placement at once
    // (assumed before the watch shows it): the nodes take turns, 7/7/6.
    assertThat(perNode.values()).as("pods per node: %s", perNode).allSatisfy(n -> assertThat(n).isBetween(6L, 7L));
    Pod web0 = client.get(Kinds.POD, ns, "web-0");
    assertThat(condition(web0, "PodScheduled")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    eventually("Scheduled events", () -> assertThat(events(ns, "web-0", "Scheduled")).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getMessage()).isEqualTo("Successfully assigned " + ns + "/web-0 to " + web0.getSpec().getNodeName());
          assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
        }));
    assertThat(metric(healthA, "scheduler_schedule_attempts_total", "result=\"scheduled\"")).isGreaterThanOrEqualTo(20);
    assertThat(metric(healthA, "scheduler_e2e_scheduling_duration_seconds_count", "")).isGreaterThanOrEqualTo(20);
  }

  @Test
  @Order(2)
  void aPodTooBigForEveryNodeWaitsUntilABiggerNodeJoins() {
    String ns = namespace("big");
    client.create(pod(ns, "big", "3"));
    String message = "0/3 nodes are available: 3 Insufficient cpu.";

    eventually("PodScheduled=False", () -> assertThat(condition(client.get(Kinds.POD, ns, "big"), "PodScheduled"))
        .hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Unschedulable");
          assertThat(c.getMessage()).isEqualTo(message);
        }));
    eventually("FailedScheduling event", () -> assertThat(events(ns, "big", "FailedScheduling")).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).isEqualTo(message);
          assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
          assertThat(e.getCount()).isPositive();
          assertThat(e.hasFirstTimestamp() && e.hasLastTimestamp()).isTrue();
        }));
    assertThat(client.get(Kinds.POD, ns, "big").getSpec().getNodeName()).isEmpty();

    client.create(node("node-4", "4", "8Gi"));

    eventually("big bound to node-4", () ->
        assertThat(client.get(Kinds.POD, ns, "big").getSpec().getNodeName()).isEqualTo("node-4"));
    client.delete(Kinds.NODE, "", "node-4");
  }

  @Test
  @Order(3)
  void aTaintedNodeGetsNoPodThatDoesNotTolerateIt() {
    String ns = namespace("taints");
    Node.Builder b = node("gpu-1", "2", "4Gi").toBuilder();
    b.getMetadataBuilder().putLabels("pool", "gpu");
    b.getSpecBuilder().addTaints(Taint.newBuilder().setKey("dedicated").setValue("gpu").setEffect("NoSchedule"));
    client.create(b.build());

    // The scheduler knows the node and rejects it for its taint alone.
    Pod.Builder pinned = pod(ns, "pinned", null).toBuilder();
    pinned.getSpecBuilder().putNodeSelector("pool", "gpu");
    client.create(pinned.build());
    eventually("pinned pod rejected", () -> assertThat(condition(client.get(Kinds.POD, ns, "pinned"), "PodScheduled"))
        .hasValueSatisfying(c -> assertThat(c.getMessage()).isEqualTo("0/4 nodes are available: "
            + "1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) didn't match Pod's node affinity/selector.")));

    // The empty tainted node has the most room: only its taint keeps these pods away.
    for (int i = 0; i < 6; i++) {
      client.create(pod(ns, "plain-" + i, null));
    }
    eventually("plain pods bound", () -> assertThat(pods(ns).stream()
        .filter(p -> p.getMetadata().getName().startsWith("plain-")))
        .hasSize(6).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isIn(WORKERS)));

    Pod.Builder tolerant = pod(ns, "tolerant", null).toBuilder();
    tolerant.getSpecBuilder().putNodeSelector("pool", "gpu").addTolerations(Toleration.newBuilder()
        .setKey("dedicated").setOperator("Equal").setValue("gpu").setEffect("NoSchedule"));
    client.create(tolerant.build());
    eventually("tolerant pod bound to the tainted node", () ->
        assertThat(client.get(Kinds.POD, ns, "tolerant").getSpec().getNodeName()).isEqualTo("gpu-1"));
    assertThat(client.get(Kinds.POD, ns, "pinned").getSpec().getNodeName()).isEmpty();
    // Retries (after 1 s, 2 s, ...) bump one aggregated event instead of creating more.
    eventually("aggregated FailedScheduling event", () -> assertThat(events(ns, "pinned", "FailedScheduling"))
        .singleElement().satisfies(e -> {
          assertThat(e.getCount()).isGreaterThanOrEqualTo(2);
          assertThat(e.getLastTimestamp().getSeconds()).isGreaterThanOrEqualTo(e.getFirstTimestamp().getSeconds());
        }));
  }

  @Test
  @Order(4)
  void onlyTheLeaderBindsAndAStandbyTakesOverWhenTheLeaderDies() throws Exception {
    String ns = namespace("failover");
    int healthB = FreePorts.one();
    schedulerB = ProcessRunner.javaJar(Cluster.jar("scheduler", "scheduler"), "--apiserver", cluster.server(),
            "--health-port", Integer.toString(healthB), "--health-bind-address", "127.0.0.1",
            "--leader-elect=true", "--identity", "sched-b")
        .name("scheduler-b").jvmOptions("-Xmx192m", "-XX:+UseSerialGC").build().start();
    schedulerB.awaitHttpOk(URI.create("http://127.0.0.1:" + healthB + "/readyz"), Duration.ofSeconds(60));
    assertThat(leaseHolder()).isEqualTo("sched-a");

    client.create(pod(ns, "before", null));
    eventually("before bound by sched-a", () -> assertThat(events(ns, "before", "Scheduled")).singleElement()
        .satisfies(e -> assertThat(e.getReportingInstance()).isEqualTo("sched-a")));
    assertThat(metric(healthB, "scheduler_schedule_attempts_total", "result=\"scheduled\"")).isZero();

    schedulerA.kill();
    long killed = System.nanoTime();
    client.create(pod(ns, "after", null));

    eventually("after bound by sched-b", () -> assertThat(events(ns, "after", "Scheduled")).singleElement()
        .satisfies(e -> assertThat(e.getReportingInstance()).isEqualTo("sched-b")));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(leaseHolder()).isEqualTo("sched-b");
    assertThat(client.get(Kinds.POD, ns, "after").getSpec().getNodeName()).isIn(WORKERS);
    // Lease duration 15 s, counted from the last renewal the standby saw, plus its retry period.
    assertThat(takeover).isLessThan(Duration.ofSeconds(25));
    assertThat(metric(healthB, "scheduler_schedule_attempts_total", "result=\"scheduled\"")).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private String namespace(String name) {
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    return name;
  }

  private static Node node(String name, String cpu, String memory) {
    return Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).putLabels("kubernetes.io/hostname", name))
        .setStatus(NodeStatus.newBuilder()
            .putCapacity("cpu", cpu).putCapacity("memory", memory).putCapacity("pods", "110")
            .putAllocatable("cpu", cpu).putAllocatable("memory", memory).putAllocatable("pods", "110")
            .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True").setReason("KubeletReady")))
        .build();
  }

  private static Pod pod(String namespace, String name, String cpu) {
    ResourceRequirements.Builder resources = ResourceRequirements.newBuilder();
    if (cpu != null) {
      resources.putRequests("cpu", cpu);
    }
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name).putLabels("app", "e2e"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("main")
            .setImage("registry.k8s.io/pause:3.9").setResources(resources)))
        .build();
  }

  private List<Pod> pods(String namespace) {
    return client.list(Kinds.POD, ListOptions.inNamespace(namespace)).items();
  }

  private List<Event> events(String namespace, String pod, String reason) {
    List<Event> matching = new ArrayList<>();
    for (Event e : client.list(Kinds.EVENT, ListOptions.inNamespace(namespace)).items()) {
      if (e.getInvolvedObject().getName().equals(pod) && e.getReason().equals(reason)) {
        matching.add(e);
      }
    }
    return matching;
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    return pod.getStatus().getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private String leaseHolder() {
    return client.get(Kinds.LEASE, "kube-system", "minik8s-scheduler").getSpec().getHolderIdentity();
  }

  /** The value of a Prometheus sample on a health port ({@code labels}: one label as printed, or empty). */
  private static double metric(int port, String name, String labels) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(r.body());
    while (m.find()) {
      if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no sample " + name + "{" + labels + "} in\n" + r.body());
  }

  /** Waits up to 30 s for {@code assertion}; on timeout fails with the schedulers' recent logs. */
  private void eventually(String what, ThrowingRunnable assertion) {
    try {
      await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion);
    } catch (ConditionTimeoutException e) {
      StringBuilder logs = new StringBuilder();
      for (ProcessRunner p : new ProcessRunner[] {schedulerA, schedulerB}) {
        if (p != null) {
          logs.append('\n').append(p.logTail(40));
        }
      }
      throw new AssertionError(e.getMessage() + logs, e);
    }
  }
}
