package io.minik8s.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatusCause;
import io.minik8s.apiserver.registry.core.allocation.AllocationRepair;
import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.registry.core.allocation.ServiceAllocator;
import io.minik8s.apiserver.storage.EtcdStorage;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster IP and node port allocation through the API, against a real etcd. */
@WithEtcd
class ServiceAllocationIntegrationTest {
  private static final String RANGE = "10.100.0.0/16";
  private static EtcdProcess etcd;
  private static ApiServer server;
  private static ApiClient client;
  private static EtcdStorage storage;

  @BeforeAll
  static void start(EtcdProcess e) throws Exception {
    etcd = e;
    server = start(RANGE);
    client = TestServers.client(server);
    storage = EtcdStorage.connect(etcd.endpoint(), new SimpleMeterRegistry(), Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    client.close();
    storage.close();
    server.lifecycle().shutdown("test done");
  }

  private static ApiServer start(String ipRange) throws Exception {
    return ApiServer.start(new ApiServer.Config(etcd.endpoint(), "127.0.0.1", 0, Duration.ofSeconds(3),
        Duration.ofSeconds(1), "127.0.0.1", 0, ipRange, "30000-32767", "192.0.2.1", Duration.ofMinutes(3), null));
  }

  static Service service(String name, String type, ServicePort.Builder... ports) {
    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setType(type).putSelector("app", name);
    for (ServicePort.Builder p : ports) {
      spec.addPorts(p);
    }
    if (ports.length == 0) {
      spec.addPorts(ServicePort.newBuilder().setPort(80));
    }
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default"))
        .setSpec(spec).build();
  }

  static Service withIp(Service svc, String ip) {
    return svc.toBuilder().setSpec(svc.getSpec().toBuilder().setClusterIp(ip)).build();
  }

  static void assertInvalid(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.isInvalid()).as(e.getMessage()).isTrue();
      assertThat(e.causes()).extracting(StatusCause::getField).contains(field);
      assertThat(e.causes()).extracting(StatusCause::getMessage).anySatisfy(m -> assertThat(m).contains(message));
    });
  }

  private static boolean claimed(String prefix, String value) {
    return storage.get(prefix + value).isPresent();
  }

  @Test
  void kubernetesServicePointsAtTheApiServer() {
    Service svc = client.get(Kinds.SERVICE, "default", "kubernetes");
    assertThat(svc.getSpec().getClusterIp()).isEqualTo("10.100.0.1");
    assertThat(svc.getSpec().getPorts(0).getName()).isEqualTo("grpc");
    assertThat(svc.getSpec().getPorts(0).getPort()).isEqualTo(443);
    assertThat(svc.getSpec().getPorts(0).getTargetPort().getIntVal()).isEqualTo(server.port());
    Endpoints eps = client.get(Kinds.ENDPOINTS, "default", "kubernetes");
    EndpointSubset subset = eps.getSubsets(0);
    assertThat(subset.getAddressesList()).extracting(a -> a.getIp()).contains("192.0.2.1");
    assertThat(subset.getPorts(0).getPort()).isEqualTo(server.port());
  }

  @Test
  void clusterIpIsChosenFromTheRangeButNotForHeadlessOrExternalName() {
    Service svc = client.create(service("alloc-a", "ClusterIP"));
    assertThat(Ipv4Range.parse(RANGE).contains(svc.getSpec().getClusterIp())).isTrue();
    assertThat(svc.getSpec().getClusterIpsList()).containsExactly(svc.getSpec().getClusterIp());
    assertThat(claimed(ServiceAllocator.IP_PREFIX, svc.getSpec().getClusterIp())).isTrue();

    Service headless = client.create(withIp(service("alloc-headless", "ClusterIP"), "None"));
    assertThat(headless.getSpec().getClusterIp()).isEqualTo("None");
    Service external = client.create(service("alloc-ext", "ExternalName").toBuilder()
        .setSpec(ServiceSpec.newBuilder().setType("ExternalName").setExternalName("example.com")).build());
    assertThat(external.getSpec().getClusterIp()).isEmpty();
  }

  @Test
  void givenClusterIpIsCheckedAndATakenOneRefused() {
    assertInvalid(() -> client.create(withIp(service("given-out", "ClusterIP"), "10.1.2.3")), "spec.clusterIP",
        "Invalid value: \"10.1.2.3\": provided IP is not in the valid range");
    Service given = client.create(withIp(service("given-ok", "ClusterIP"), "10.100.7.7"));
    assertThat(given.getSpec().getClusterIp()).isEqualTo("10.100.7.7");
    assertInvalid(() -> client.create(withIp(service("given-taken", "ClusterIP"), "10.100.7.7")), "spec.clusterIP",
        "Invalid value: \"10.100.7.7\": provided IP is already allocated");
    assertThatThrownBy(() -> client.get(Kinds.SERVICE, "default", "given-taken"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void clusterIpIsReleasedOnDeleteAndReusable() {
    client.create(withIp(service("reuse-1", "ClusterIP"), "10.100.8.8"));
    client.delete(Kinds.SERVICE, "default", "reuse-1");
    assertThat(claimed(ServiceAllocator.IP_PREFIX, "10.100.8.8")).isFalse();
    assertThat(client.create(withIp(service("reuse-2", "ClusterIP"), "10.100.8.8")).getSpec().getClusterIp())
        .isEqualTo("10.100.8.8");
  }

  @Test
  void aFailedCreateReleasesWhatItClaimed() {
    client.create(service("dup", "ClusterIP"));
    assertThatThrownBy(() -> client.create(withIp(service("dup", "ClusterIP"), "10.100.9.9")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
    assertThat(claimed(ServiceAllocator.IP_PREFIX, "10.100.9.9")).isFalse();
  }

  @Test
  void updateKeepsTheClusterIpAndNodePortsTheClientLeftOut() {
    Service svc = client.create(service("keep", "NodePort"));
    Service fromManifest = service("keep", "NodePort").toBuilder()
        .setMetadata(svc.getMetadata().toBuilder().clearResourceVersion().putLabels("v", "2")).build();
    Service updated = client.update(fromManifest);
    assertThat(updated.getSpec().getClusterIp()).isEqualTo(svc.getSpec().getClusterIp());
    assertThat(updated.getSpec().getPorts(0).getNodePort()).isEqualTo(svc.getSpec().getPorts(0).getNodePort());
    assertThat(claimed(ServiceAllocator.NODE_PORT_PREFIX, "" + svc.getSpec().getPorts(0).getNodePort())).isTrue();
  }

  @Test
  void nodePortsAreChosenCheckedAndReleased() {
    Service chosen = client.create(service("np-chosen", "NodePort"));
    int port = chosen.getSpec().getPorts(0).getNodePort();
    assertThat(port).isBetween(30000, 32767);

    Service given = client.create(service("np-given", "LoadBalancer", ServicePort.newBuilder().setPort(80).setNodePort(30080)));
    assertThat(given.getSpec().getPorts(0).getNodePort()).isEqualTo(30080);
    assertInvalid(() -> client.create(service("np-taken", "NodePort", ServicePort.newBuilder().setPort(80).setNodePort(30080))),
        "spec.ports[0].nodePort", "Invalid value: 30080: provided port is already allocated");
    assertInvalid(() -> client.create(service("np-out", "NodePort", ServicePort.newBuilder().setPort(80).setNodePort(8080))),
        "spec.ports[0].nodePort", "Invalid value: 8080: provided port is not in the valid range");

    // a type change away from NodePort releases the port
    Service toClusterIp = client.update(given.toBuilder().setSpec(given.getSpec().toBuilder().setType("ClusterIP")).build());
    assertThat(toClusterIp.getSpec().getPorts(0).getNodePort()).isZero();
    assertThat(claimed(ServiceAllocator.NODE_PORT_PREFIX, "30080")).isFalse();
    assertThat(client.create(service("np-again", "NodePort", ServicePort.newBuilder().setPort(80).setNodePort(30080)))
        .getSpec().getPorts(0).getNodePort()).isEqualTo(30080);

    client.delete(Kinds.SERVICE, "default", "np-chosen");
    assertThat(claimed(ServiceAllocator.NODE_PORT_PREFIX, "" + port)).isFalse();
  }

  @Test
  void twoApiServersCreatingConcurrentlyNeverGiveOneIpTwice() throws Exception {
    String range = "10.101.0.0/25"; // 126 addresses for 100 Services: collisions and the scan fallback happen
    ApiServer b = start(range);
    ApiServer c = start(range);
    List<ApiClient> clients = List.of(TestServers.client(b), TestServers.client(c));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> ips = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ApiClient cl = clients.get(i % 2);
        String name = "race-" + i;
        ips.add(pool.submit(() -> cl.create(service(name, "ClusterIP")).getSpec().getClusterIp()));
      }
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : ips) {
        String ip = f.get();
        assertThat(Ipv4Range.parse(range).contains(ip)).as(ip).isTrue();
        assertThat(distinct.add(ip)).as("IP %s given twice", ip).isTrue();
      }

      // a restarted API server sees the allocations in etcd
      b.lifecycle().shutdown("restart");
      ApiServer d = start(range);
      try (ApiClient dc = TestServers.client(d)) {
        String taken = distinct.iterator().next();
        assertInvalid(() -> dc.create(withIp(service("after-restart", "ClusterIP"), taken)), "spec.clusterIP",
            "provided IP is already allocated");
        String fresh = dc.create(service("after-restart", "ClusterIP")).getSpec().getClusterIp();
        assertThat(distinct).doesNotContain(fresh);
      } finally {
        d.lifecycle().shutdown("test done");
      }
    } finally {
      pool.shutdown();
      clients.forEach(ApiClient::close);
      b.lifecycle().shutdown("test done");
      c.lifecycle().shutdown("test done");
    }
  }

  @Test
  void repairReleasesLeftoverClaimsAndClaimsUnclaimedValues() {
    ServiceAllocator allocator = new ServiceAllocator(storage, Ipv4Range.parse(RANGE), PortRange.parse("30000-32767"));
    AllocationRepair repair = new AllocationRepair(storage, allocator);
    storage.create(ServiceAllocator.IP_PREFIX + "10.100.66.66", "default/ghost/uid-1".getBytes(StandardCharsets.UTF_8));
    Service svc = client.create(withIp(service("repaired", "ClusterIP"), "10.100.67.67"));
    storage.delete(ServiceAllocator.IP_PREFIX + "10.100.67.67",
        storage.get(ServiceAllocator.IP_PREFIX + "10.100.67.67").orElseThrow().modRevision());

    repair.runOnce();
    assertThat(claimed(ServiceAllocator.IP_PREFIX, "10.100.66.66")).as("kept until seen twice").isTrue();
    assertThat(new String(storage.get(ServiceAllocator.IP_PREFIX + "10.100.67.67").orElseThrow().value(),
        StandardCharsets.UTF_8)).isEqualTo(ServiceAllocator.owner(svc));
    repair.runOnce();
    assertThat(claimed(ServiceAllocator.IP_PREFIX, "10.100.66.66")).isFalse();
    assertThat(claimed(ServiceAllocator.IP_PREFIX, "10.100.67.67")).isTrue();
  }
}
