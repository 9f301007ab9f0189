package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.Taint;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The endpoint, service-lb, nodelifecycle and garbagecollector controllers in a real controller-manager
 * process against a real API server and etcd. No kubelet or scheduler runs: the test plays them (pod
 * status with IPs and Ready conditions, a fake node with a Lease it renews and then stops renewing). The
 * ReplicaSet controller is left out so the pods of the test's ReplicaSets are only the test's. The
 * load-balancer pool holds one address, so a second LoadBalancer Service has to wait for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllersE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(40);
  /** The whole load-balancer pool (TEST-NET-1: nothing is ever sent to it). */
  private static final String LB_IP = "192.0.2.10";

  private Cluster cluster;
  private ApiClient client;
  private ProcessRunner controllerManager;
  private int controllerManagerHealth;

  @BeforeAll
  void start() {
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    controllerManagerHealth = FreePorts.one();
    controllerManager = cluster.startComponent("controller-manager", "controller-manager",
        "--apiserver", cluster.server(), "--health-port", Integer.toString(controllerManagerHealth),
        "--health-bind-address", "127.0.0.1",
        "--controllers", "endpoint,service-lb,nodelifecycle,garbagecollector",
        "--load-balancer-ip-pool", LB_IP + "/32",
        "--node-monitor-grace-period", "5s", "--pod-eviction-timeout", "5s");
    awaitControllerManagerReady();
  }

  private void awaitControllerManagerReady() {
    controllerManager.awaitHttpOk(URI.create("http://127.0.0.1:" + controllerManagerHealth + "/readyz"),
        Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void endpointsFollowTheReadyPodsAndResolveNamedPorts() {
    String ns = namespace("endpoints");
    client.create(Service.newBuilder().setMetadata(meta(ns, "web"))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80)
                .setTargetPort(IntOrString.newBuilder().setStrVal("http"))))
        .build());
    eventually("empty Endpoints", () -> assertThat(client.find(Kinds.ENDPOINTS, ns, "web")).hasValueSatisfying(e ->
        assertThat(e.getSubsetsList()).isEmpty()));

    client.create(webPod(ns, "web-1"));
    client.create(webPod(ns, "web-2"));
    setStatus(ns, "web-1", "10.1.0.1", true);
    setStatus(ns, "web-2", "10.1.0.2", false);
    eventually("web-1 ready, web-2 not", () -> {
      EndpointSubset s = singleSubset(ns, "web");
      assertThat(s.getAddressesList()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.1");
      assertThat(s.getNotReadyAddressesList()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.2");
      assertThat(s.getPorts(0).getPort()).isEqualTo(8080);
      assertThat(s.getAddresses(0).getTargetRef().getName()).isEqualTo("web-1");
    });

    setStatus(ns, "web-2", "10.1.0.2", true);
    eventually("both ready", () -> assertThat(singleSubset(ns, "web").getAddressesList())
        .extracting(EndpointAddress::getIp).containsExactly("10.1.0.1", "10.1.0.2"));

    client.delete(Kinds.POD, ns, "web-1");
    eventually("web-1 gone", () -> assertThat(singleSubset(ns, "web").getAddressesList())
        .extracting(EndpointAddress::getIp).containsExactly("10.1.0.2"));

    client.delete(Kinds.SERVICE, ns, "web");
    eventually("Endpoints deleted with the Service", () ->
        assertThat(client.find(Kinds.ENDPOINTS, ns, "web")).isEmpty());
  }

  @Test
  void loadBalancerServicesShareAOneAddressPoolOneAtATimeEvenAcrossARestart() {
    String ns = namespace("lb");
    client.create(loadBalancer(ns, "first"));
    eventually("first gets the pool's address", () -> assertThat(ingress(ns, "first")).containsExactly(LB_IP));

    client.create(loadBalancer(ns, "second"));
    eventually("a Warning Event says the pool is exhausted", () -> assertThat(events(ns, "second"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("AllocationFailed");
          assertThat(e.getMessage()).contains("pool " + LB_IP + " is exhausted");
        }));
    assertThat(ingress(ns, "second")).as("pending").isEmpty();

    client.delete(Kinds.SERVICE, ns, "first");
    eventually("second gets the freed address", () -> assertThat(ingress(ns, "second")).containsExactly(LB_IP));

    // A restarted controller-manager learns from the Services who holds the address.
    controllerManager.stop(Duration.ofSeconds(10));
    controllerManager.start();
    awaitControllerManagerReady();
    client.create(loadBalancer(ns, "third"));
    eventually("third waits, the address being second's", () -> assertThat(events(ns, "third"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("AllocationFailed")));
    assertThat(ingress(ns, "third")).isEmpty();
    assertThat(ingress(ns, "second")).containsExactly(LB_IP);

    // No longer a LoadBalancer: its status is cleared and the address moves on.
    Service second = client.get(Kinds.SERVICE, ns, "second");
    client.update(second.toBuilder().setSpec(second.getSpec().toBuilder().setType("ClusterIP")
        .setPorts(0, second.getSpec().getPorts(0).toBuilder().setNodePort(0))).build());
    eventually("third gets it", () -> assertThat(ingress(ns, "third")).containsExactly(LB_IP));
    assertThat(ingress(ns, "second")).isEmpty();
  }

  private List<String> ingress(String ns, String name) {
    return client.get(Kinds.SERVICE, ns, name).getStatus().getLoadBalancer().getIngressList().stream()
        .map(LoadBalancerIngress::getIp).toList();
  }

  private List<Event> events(String ns, String name) {
    return client.listAll(Kinds.EVENT, ApiClient.ListOptions.inNamespace(ns)).items().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(name)).toList();
  }

  private static Service loadBalancer(String ns, String name) {
    return Service.newBuilder().setMetadata(meta(ns, name))
        .setSpec(ServiceSpec.newBuilder().setType("LoadBalancer").putSelector("app", name)
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80)))
        .build();
  }

  @Test
  void aSilentNodeBecomesUnknownIsTaintedAndLosesItsPodsThenRecovers() throws Exception {
    String ns = namespace("nodes");
    String nodeName = "silent-node";
    Instant now = Instant.now();
    client.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(nodeName))
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True")
            .setReason("KubeletReady").setLastHeartbeatTime(ts(now)).setLastTransitionTime(ts(now))))
        .build());
    Lease lease = client.create(Lease.newBuilder().setMetadata(meta("kube-node-lease", nodeName))
        .setSpec(LeaseSpec.newBuilder().setHolderIdentity(nodeName).setLeaseDurationSeconds(40)
            .setRenewTime(ts(now)))
        .build());
    Pod pod = podOn(ns, "victim", nodeName);
    client.create(pod);
    Pod running = client.get(Kinds.POD, ns, "victim");
    client.updateStatus(running.toBuilder().setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp("10.2.0.1")
        .addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True"))).build());

    // Renewed every second for longer than the grace period: the node stays as it is.
    for (int i = 0; i < 7; i++) {
      lease = renew(lease);
      Thread.sleep(1000); // playing a kubelet: a renewal period, not a wait for a condition
    }
    assertThat(client.get(Kinds.NODE, "", nodeName).getSpec().getTaintsList()).isEmpty();

    // Silence: Unknown, tainted, pod not ready, then evicted (and forced: no kubelet confirms).
    eventually("node Unknown and tainted", () -> {
      Node n = client.get(Kinds.NODE, "", nodeName);
      assertThat(n.getStatus().getConditionsList()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
          .satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("Unknown");
            assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
            assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
          });
      assertThat(n.getSpec().getTaintsList()).extracting(Taint::getKey, Taint::getEffect).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoSchedule"),
          org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "NoExecute"));
    });
    eventually("pod not ready (it stays 5 s before eviction)", () ->
        assertThat(client.get(Kinds.POD, ns, "victim").getStatus().getConditionsList())
            .filteredOn(c -> c.getType().equals("Ready")).singleElement()
            .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False")));
    eventually("pod evicted", () -> assertThat(client.find(Kinds.POD, ns, "victim")).isEmpty());

    // The heartbeat is back: the taints go.
    renew(client.get(Kinds.LEASE, "kube-node-lease", nodeName));
    eventually("taints removed", () ->
        assertThat(client.get(Kinds.NODE, "", nodeName).getSpec().getTaintsList()).isEmpty());
  }

  @Test
  void deletingAReplicaSetDeletesItsPodsUnlessOrphaned() {
    String ns = namespace("gc");
    ReplicaSet doomed = client.create(replicaSet(ns, "doomed"));
    client.create(ownedPod(ns, "doomed-1", doomed));
    client.create(ownedPod(ns, "doomed-2", doomed));
    ReplicaSet orphaning = client.create(replicaSet(ns, "orphaning"));
    client.create(ownedPod(ns, "orphaning-1", orphaning));

    client.delete(Kinds.REPLICA_SET, ns, "doomed", DeleteOptions.propagation("Background"));
    eventually("doomed pods collected", () -> assertThat(client.find(Kinds.POD, ns, "doomed-1")).isEmpty());
    eventually("doomed pods collected", () -> assertThat(client.find(Kinds.POD, ns, "doomed-2")).isEmpty());

    client.delete(Kinds.REPLICA_SET, ns, "orphaning", DeleteOptions.propagation("Orphan"));
    eventually("ReplicaSet gone, pod orphaned", () -> {
      assertThat(client.find(Kinds.REPLICA_SET, ns, "orphaning")).isEmpty();
      assertThat(client.find(Kinds.POD, ns, "orphaning-1")).hasValueSatisfying(p ->
          assertThat(p.getMetadata().getOwnerReferencesList()).isEmpty());
    });
  }

  // ------------------------------------------------------------------ helpers

  private Lease renew(Lease lease) {
    return client.update(lease.toBuilder().setSpec(lease.getSpec().toBuilder().setRenewTime(ts(Instant.now())))
        .build());
  }

  private void setStatus(String ns, String name, String ip, boolean ready) {
    Pod p = client.get(Kinds.POD, ns, name);
    client.updateStatus(p.toBuilder().setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp(ip)
        .addConditions(PodCondition.newBuilder().setType("Ready").setStatus(ready ? "True" : "False"))).build());
  }

  private EndpointSubset singleSubset(String ns, String name) {
    Endpoints e = client.get(Kinds.ENDPOINTS, ns, name);
    assertThat(e.getSubsetsList()).hasSize(1);
    return e.getSubsets(0);
  }

  private String namespace(String name) {
    client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    return name;
  }

  private static ObjectMeta.Builder meta(String ns, String name) {
    return ObjectMeta.newBuilder().setNamespace(ns).setName(name);
  }

  private static Pod webPod(String ns, String name) {
    return Pod.newBuilder().setMetadata(meta(ns, name).putLabels("app", "web"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("web").setImage("busybox")
            .addPorts(ContainerPort.newBuilder().setName("http").setContainerPort(8080))))
        .build();
  }

  private static Pod podOn(String ns, String name, String node) {
    return Pod.newBuilder().setMetadata(meta(ns, name))
        .setSpec(PodSpec.newBuilder().setNodeName(node).setTerminationGracePeriodSeconds(2)
            .addContainers(Container.newBuilder().setName("app").setImage("busybox")))
        .build();
  }

  private static ReplicaSet replicaSet(String ns, String name) {
    return ReplicaSet.newBuilder().setMetadata(meta(ns, name))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(0)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("rs", name))
            .setTemplate(io.minik8s.api.PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("rs", name))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox")))))
        .build();
  }

  private static Pod ownedPod(String ns, String name, ReplicaSet owner) {
    return Pod.newBuilder()
        .setMetadata(meta(ns, name).putLabels("rs", owner.getMetadata().getName())
            .addOwnerReferences(OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("ReplicaSet")
                .setName(owner.getMetadata().getName()).setUid(owner.getMetadata().getUid()).setController(true)))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("app").setImage("busybox")))
        .build();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private static void eventually(String what, ThrowingRunnable assertion) {
    await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(assertion);
  }

}
