package io.minik8s.controllermanager.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.minik8s.api.Event;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.LoadBalancerStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.ServiceStatus;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Store;
import io.minik8s.client.workqueue.Result;
import io.minik8s.controllermanager.testing.RecordingApiServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceLoadBalancerControllerTest {
  private static final String NS = "default";

  private final RecordingApiServer api = new RecordingApiServer();
  private final Store<Service> services = new Store<>();
  private final ConcurrentLinkedQueue<String> enqueued = new ConcurrentLinkedQueue<>();
  private final EventRecorder events = new EventRecorder(api.client(), "service-lb-controller", "test",
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  private int created;

  @AfterEach
  void close() {
    api.close();
  }

  private ServiceLoadBalancerController controller(String pool) {
    return new ServiceLoadBalancerController(api.client(), services, IpPool.parse(pool), events, enqueued::add);
  }

  @Test
  void loadBalancerServicesGetTheLowestFreeAddressesInTurn() {
    ServiceLoadBalancerController c = controller("10.0.0.1-10.0.0.3");
    services.put(service("a", "LoadBalancer"));
    services.put(service("b", "LoadBalancer"));
    services.put(service("plain", "ClusterIP"));

    assertThat(reconcile(c, "default/a")).isEqualTo(Result.done());
    assertThat(reconcile(c, "default/b")).isEqualTo(Result.done());
    assertThat(reconcile(c, "default/plain")).isEqualTo(Result.done());

    assertThat(api.takeWrites()).containsExactly("status services default/a", "status services default/b");
    assertThat(ingressOf("a")).containsExactly("10.0.0.1");
    assertThat(ingressOf("b")).containsExactly("10.0.0.2");
    Service written = (Service) api.written(Kinds.SERVICE).get(0);
    assertThat(written.getMetadata().getResourceVersion()).as("a compare-and-swap on the cached version")
        .isEqualTo("rv-a");
    assertThat(api.events()).extracting(Event::getReason, Event::getMessage).containsExactly(
        org.assertj.core.groups.Tuple.tuple("IPAllocated", "Assigned IP 10.0.0.1"),
        org.assertj.core.groups.Tuple.tuple("IPAllocated", "Assigned IP 10.0.0.2"));

    reconcile(c, "default/a");
    reconcile(c, "default/b");
    assertThat(api.takeWrites()).as("nothing to change").isEmpty();
  }

  @Test
  void whenThePoolIsExhaustedTheServiceWaitsWithAWarningAndGetsTheFirstAddressFreed() {
    ServiceLoadBalancerController c = controller("10.0.0.1/32");
    services.put(service("a", "LoadBalancer"));
    services.put(service("b", "LoadBalancer"));
    reconcile(c, "default/a");
    api.takeWrites();

    assertThat(reconcile(c, "default/b")).isEqualTo(Result.requeueAfter(ServiceLoadBalancerController.RETRY_PENDING));
    assertThat(api.takeWrites()).isEmpty();
    Event warning = api.events().get(api.events().size() - 1);
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getReason()).isEqualTo("AllocationFailed");
    assertThat(warning.getMessage()).contains("pool 10.0.0.1 is exhausted (1 of 1 allocated)");
    assertThat(warning.getInvolvedObject().getName()).isEqualTo("b");
    assertThat(ingressOf("b")).isEmpty();

    services.remove("default/a");
    reconcile(c, "default/a");
    assertThat(enqueued).containsExactly("default/b");

    reconcile(c, "default/b");
    assertThat(api.takeWrites()).containsExactly("status services default/b");
    assertThat(ingressOf("b")).containsExactly("10.0.0.1");
  }

  @Test
  void aChangeOfTypeClearsTheStatusAndFreesTheAddress() {
    ServiceLoadBalancerController c = controller("10.0.0.1/32");
    services.put(service("a", "LoadBalancer"));
    services.put(service("waiting", "LoadBalancer"));
    reconcile(c, "default/a");
    reconcile(c, "default/waiting");
    api.takeWrites();

    Service a = services.get("default/a").orElseThrow();
    services.put(a.toBuilder().setSpec(a.getSpec().toBuilder().setType("NodePort")).build());
    reconcile(c, "default/a");

    assertThat(api.takeWrites()).containsExactly("status services default/a");
    assertThat(ingressOf("a")).isEmpty();
    assertThat(services.get("default/a").orElseThrow().getStatus().getLoadBalancer().getIngressCount()).isZero();
    assertThat(api.eventReasons()).contains("IPReleased");
    assertThat(enqueued).containsExactly("default/waiting");
    reconcile(c, "default/waiting");
    assertThat(ingressOf("waiting")).containsExactly("10.0.0.1");
  }

  @Test
  void theRequestedLoadBalancerIpIsHonouredWhenInThePoolAndFree() {
    ServiceLoadBalancerController c = controller("10.0.0.1-10.0.0.5");
    services.put(requesting(service("wants-4", "LoadBalancer"), "10.0.0.4"));
    services.put(requesting(service("also-4", "LoadBalancer"), "10.0.0.4"));
    services.put(requesting(service("outside", "LoadBalancer"), "10.9.9.9"));
    services.put(requesting(service("garbage", "LoadBalancer"), "ten"));
    services.put(service("any", "LoadBalancer"));

    assertThat(reconcile(c, "default/wants-4")).isEqualTo(Result.done());
    assertThat(reconcile(c, "default/also-4")).isEqualTo(Result.requeueAfter(ServiceLoadBalancerController.RETRY_PENDING));
    assertThat(reconcile(c, "default/outside")).as("waits for a change of spec").isEqualTo(Result.done());
    assertThat(reconcile(c, "default/garbage")).isEqualTo(Result.done());
    reconcile(c, "default/any");

    assertThat(ingressOf("wants-4")).containsExactly("10.0.0.4");
    assertThat(ingressOf("also-4")).isEmpty();
    assertThat(ingressOf("outside")).isEmpty();
    assertThat(ingressOf("any")).containsExactly("10.0.0.1");
    assertThat(warnings()).containsExactly(
        "requested loadBalancerIP 10.0.0.4 is already allocated to Service default/wants-4",
        "requested loadBalancerIP 10.9.9.9 is not in the load-balancer IP pool 10.0.0.1-10.0.0.5",
        "requested loadBalancerIP ten is not an IPv4 address");

    // The holder moves away: the one waiting for exactly that address is woken and gets it.
    Service first = services.get("default/wants-4").orElseThrow();
    services.put(requesting(first, "10.0.0.5"));
    reconcile(c, "default/wants-4");
    assertThat(ingressOf("wants-4")).containsExactly("10.0.0.5");
    assertThat(enqueued).contains("default/also-4");
    reconcile(c, "default/also-4");
    assertThat(ingressOf("also-4")).containsExactly("10.0.0.4");
  }

  @Test
  void aRestartedControllerRebuildsWhoHoldsWhatFromTheServicesAndResolvesDuplicatesOldestFirst() {
    services.put(withIngress(service("old", "LoadBalancer"), "10.0.0.1"));
    services.put(withIngress(service("young-duplicate", "LoadBalancer"), "10.0.0.1"));
    services.put(withIngress(service("b", "LoadBalancer"), "10.0.0.2"));
    services.put(withIngress(service("foreign", "LoadBalancer"), "192.0.2.7"));
    services.put(service("new", "LoadBalancer"));
    ServiceLoadBalancerController restarted = controller("10.0.0.1-10.0.0.5");

    reconcile(restarted, "default/new");
    assertThat(ingressOf("new")).as("1 and 2 are taken").containsExactly("10.0.0.3");

    reconcile(restarted, "default/old");
    reconcile(restarted, "default/b");
    reconcile(restarted, "default/foreign");
    assertThat(api.takeWrites()).as("only the new one was written").containsExactly("status services default/new");

    reconcile(restarted, "default/young-duplicate");
    assertThat(ingressOf("young-duplicate")).containsExactly("10.0.0.4");
    assertThat(api.eventReasons()).contains("IPConflict");
    assertThat(ingressOf("old")).containsExactly("10.0.0.1");
  }

  @Test
  void anEmptyPoolLeavesEveryServiceAlone() {
    ServiceLoadBalancerController c = controller("");
    services.put(service("a", "LoadBalancer"));
    assertThat(reconcile(c, "default/a")).isEqualTo(Result.done());
    assertThat(api.takeWrites()).isEmpty();
    assertThat(api.events()).isEmpty();
  }

  @Test
  void concurrentReconcilesOfManyServicesNeverHandOutAnAddressTwice() throws Exception {
    ServiceLoadBalancerController c = controller("10.2.0.0/24");
    int count = 60;
    for (int i = 0; i < count; i++) {
      services.put(service("s" + i, "LoadBalancer"));
    }
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Result>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = "default/s" + i;
        results.add(workers.submit(() -> c.reconcile(key)));
      }
      for (Future<Result> r : results) {
        assertThat(r.get()).isEqualTo(Result.done());
      }
    } finally {
      workers.shutdownNow();
    }
    Set<String> ips = new HashSet<>();
    for (Message m : api.written(Kinds.SERVICE)) {
      Service s = (Service) m;
      assertThat(ips.add(s.getStatus().getLoadBalancer().getIngress(0).getIp())).isTrue();
    }
    assertThat(ips).hasSize(count);
    for (int i = 1; i <= count; i++) {
      assertThat(ips).contains("10.2.0." + i);
    }
  }

  /** One reconcile, then what the informer would do: the statuses written land in the cache. */
  private Result reconcile(ServiceLoadBalancerController c, String key) {
    Result r;
    try {
      r = c.reconcile(key);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (Message m : api.written(Kinds.SERVICE)) {
      Service s = (Service) m;
      Service cached = services.get(Store.keyOf(s)).orElse(null);
      if (cached != null && cached.getMetadata().getResourceVersion().equals(s.getMetadata().getResourceVersion())) {
        services.put(s.toBuilder().setMetadata(s.getMetadata().toBuilder()
            .setResourceVersion(s.getMetadata().getResourceVersion() + "+")).build());
      }
    }
    return r;
  }

  private List<String> ingressOf(String name) {
    return services.get(NS + "/" + name).orElseThrow().getStatus().getLoadBalancer().getIngressList().stream()
        .map(LoadBalancerIngress::getIp).toList();
  }

  private List<String> warnings() {
    return api.events().stream().filter(e -> e.getType().equals("Warning")).map(Event::getMessage).toList();
  }

  private Service service(String name, String type) {
    created++;
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(NS).setName(name).setUid("uid-" + name)
            .setResourceVersion("rv-" + name).setCreationTimestamp(Timestamp.newBuilder().setSeconds(1000 + created)))
        .setSpec(ServiceSpec.newBuilder().setType(type).setClusterIp("10.96.0." + created)
            .addPorts(ServicePort.newBuilder().setPort(80).setProtocol("TCP")))
        .build();
  }

  private static Service requesting(Service s, String ip) {
    return s.toBuilder().setSpec(s.getSpec().toBuilder().setLoadBalancerIp(ip)).build();
  }

  private static Service withIngress(Service s, String ip) {
    return s.toBuilder().setStatus(ServiceStatus.newBuilder().setLoadBalancer(LoadBalancerStatus.newBuilder()
        .addIngress(LoadBalancerIngress.newBuilder().setIp(ip)))).build();
  }
}
