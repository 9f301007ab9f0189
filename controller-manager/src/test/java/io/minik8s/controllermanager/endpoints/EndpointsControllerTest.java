package io.minik8s.controllermanager.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Store;
import io.minik8s.controllermanager.fakeapi.RecordingApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
  private final RecordingApi api = new RecordingApi();
  private final Store<Service> services = new Store<>();
  private final Store<Pod> pods = new Store<>();
  private final Store<Endpoints> endpoints = new Store<>();
  private final EndpointsController controller = new EndpointsController(api.client(), services, pods, endpoints);

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void readyAndNotReadyPodsGoToAddressesAndNotReadyAddressesWithTargetRefs() throws Exception {
    services.put(service("web", Map.of("app", "web"), port("http", 80, IntOrString.newBuilder().setIntVal(8080))));
    pods.put(pod("a", "10.0.0.2", true, Map.of("app", "web")));
    pods.put(pod("b", "10.0.0.1", false, Map.of("app", "web")));
    pods.put(pod("other", "10.0.0.3", true, Map.of("app", "db")));
    pods.put(pod("no-ip", "", true, Map.of("app", "web")));
    Pod terminating = pod("going", "10.0.0.4", true, Map.of("app", "web"));
    pods.put(terminating.toBuilder().setMetadata(terminating.getMetadata().toBuilder()
        .setDeletionTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1))).build());

    controller.reconcile("default/web");

    assertThat(api.calls()).containsExactly("create endpoints default/web");
    Endpoints created = api.lastWritten(Kinds.ENDPOINTS).orElseThrow();
    assertThat(created.getSubsetsList()).containsExactly(EndpointSubset.newBuilder()
        .addAddresses(address("a", "10.0.0.2"))
        .addNotReadyAddresses(address("b", "10.0.0.1"))
        .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP"))
        .build());
  }

  @Test
  void namedTargetPortsResolvePerPodAndAddressesAreGroupedByPortSet() throws Exception {
    services.put(service("web", Map.of("app", "web"),
        port("http", 80, IntOrString.newBuilder().setStrVal("http")),
        port("metrics", 9090, IntOrString.newBuilder().setStrVal("metrics"))));
    pods.put(withPorts(pod("a", "10.0.0.1", true, Map.of("app", "web")), Map.of("http", 8080, "metrics", 9100)));
    pods.put(withPorts(pod("b", "10.0.0.2", true, Map.of("app", "web")), Map.of("http", 8081)));
    pods.put(withPorts(pod("c", "10.0.0.3", true, Map.of("app", "web")), Map.of("other", 1)));

    controller.reconcile("default/web");

    Endpoints created = api.lastWritten(Kinds.ENDPOINTS).orElseThrow();
    assertThat(created.getSubsetsList()).containsExactly(
        EndpointSubset.newBuilder().addAddresses(address("a", "10.0.0.1"))
            .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP"))
            .addPorts(EndpointPort.newBuilder().setName("metrics").setPort(9100).setProtocol("TCP")).build(),
        EndpointSubset.newBuilder().addAddresses(address("b", "10.0.0.2"))
            .addPorts(EndpointPort.newBuilder().setName("http").setPort(8081).setProtocol("TCP")).build());
  }

  @Test
  void publishNotReadyAddressesPutsEveryPodInAddresses() throws Exception {
    Service svc = service("web", Map.of("app", "web"), port("", 80, IntOrString.newBuilder().setIntVal(80)));
    services.put(svc.toBuilder().setSpec(svc.getSpec().toBuilder().setPublishNotReadyAddresses(true)).build());
    pods.put(pod("b", "10.0.0.1", false, Map.of("app", "web")));

    controller.reconcile("default/web");

    Endpoints created = api.lastWritten(Kinds.ENDPOINTS).orElseThrow();
    assertThat(created.getSubsets(0).getAddressesList()).containsExactly(address("b", "10.0.0.1"));
    assertThat(created.getSubsets(0).getNotReadyAddressesList()).isEmpty();
  }

  @Test
  void unchangedEndpointsAreNotWrittenAndChangedOnesAreUpdatedWithTheirResourceVersion() throws Exception {
    services.put(service("web", Map.of("app", "web"), port("http", 80, IntOrString.newBuilder().setIntVal(8080))));
    pods.put(pod("a", "10.0.0.1", true, Map.of("app", "web")));
    controller.reconcile("default/web");
    Endpoints created = api.lastWritten(Kinds.ENDPOINTS).orElseThrow();
    endpoints.put(created.toBuilder().setMetadata(created.getMetadata().toBuilder().setResourceVersion("7")).build());
    api.clear();

    controller.reconcile("default/web");
    assertThat(api.calls()).isEmpty();

    pods.put(pod("a", "10.0.0.1", false, Map.of("app", "web")));
    controller.reconcile("default/web");
    assertThat(api.calls()).containsExactly("update endpoints default/web");
    Endpoints updated = api.lastWritten(Kinds.ENDPOINTS).orElseThrow();
    assertThat(updated.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(updated.getSubsets(0).getNotReadyAddressesList()).containsExactly(address("a", "10.0.0.1"));
  }

  @Test
  void aServiceWithoutSelectorIsLeftAloneAndEndpointsOfAGoneServiceAreDeleted() throws Exception {
    services.put(service("manual", Map.of(), port("", 80, IntOrString.newBuilder().setIntVal(80))));
    endpoints.put(endpointsNamed("manual"));
    endpoints.put(endpointsNamed("gone"));

    controller.reconcile("default/manual");
    controller.reconcile("default/gone");

    assertThat(api.calls()).containsExactly("delete endpoints default/gone uid=uid-ep-gone");
  }

  @Test
  void endpointsSeenBeforeTheirServiceAreKeptWhenTheApiServerHasTheService() throws Exception {
    // The Service exists on the server, but its watch event has not reached the cache yet.
    api.seed(service("kube-dns", Map.of(), port("dns", 53, IntOrString.newBuilder().setIntVal(53))));
    endpoints.put(endpointsNamed("kube-dns"));

    controller.reconcile("default/kube-dns");

    assertThat(api.calls()).isEmpty();
  }

  @Test
  void aServiceSelectingNothingGetsEmptyEndpoints() throws Exception {
    services.put(service("web", Map.of("app", "web"), port("", 80, IntOrString.newBuilder().setIntVal(80))));

    controller.reconcile("default/web");

    assertThat(api.calls()).containsExactly("create endpoints default/web");
    assertThat(api.lastWritten(Kinds.ENDPOINTS).orElseThrow().getSubsetsList()).isEmpty();
  }

  private static Endpoints endpointsNamed(String name) {
    return Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name)
        .setUid("uid-ep-" + name).setResourceVersion("3")).build();
  }

  private static ServicePort port(String name, int port, IntOrString.Builder target) {
    return ServicePort.newBuilder().setName(name).setPort(port).setProtocol("TCP").setTargetPort(target).build();
  }

  private static Service service(String name, Map<String, String> selector, ServicePort... ports) {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid("uid-svc-" + name))
        .setSpec(ServiceSpec.newBuilder().putAllSelector(selector).addAllPorts(List.of(ports))
            .setClusterIp("10.96.0.10"))
        .build();
  }

  static Pod pod(String name, String ip, boolean ready, Map<String, String> labels) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name).setUid("uid-" + name)
            .putAllLabels(labels))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1")
            .addContainers(Container.newBuilder().setName("app").setImage("busybox")))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp(ip)
            .addConditions(PodCondition.newBuilder().setType("Ready").setStatus(ready ? "True" : "False")))
        .build();
  }

  private static Pod withPorts(Pod pod, Map<String, Integer> named) {
    Container.Builder c = pod.getSpec().getContainers(0).toBuilder();
    named.forEach((n, p) -> c.addPorts(ContainerPort.newBuilder().setName(n).setContainerPort(p).setProtocol("TCP")));
    return pod.toBuilder().setSpec(pod.getSpec().toBuilder().setContainers(0, c)).build();
  }

  private static EndpointAddress address(String pod, String ip) {
    return EndpointAddress.newBuilder().setIp(ip).setNodeName("node-1")
        .setTargetRef(ObjectReference.newBuilder().setKind("Pod").setNamespace("default").setName(pod)
            .setUid("uid-" + pod))
        .build();
  }
}
