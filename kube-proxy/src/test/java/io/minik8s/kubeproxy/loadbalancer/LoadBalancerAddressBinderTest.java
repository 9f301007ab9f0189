package io.minik8s.kubeproxy.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.LoadBalancerStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.ServiceStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadBalancerAddressBinderTest {
  private final FakeLink link = new FakeLink();
  private final LoadBalancerAddressBinder binder =
      new LoadBalancerAddressBinder(link, Duration.ofMillis(10), Duration.ofHours(1));

  @Test
  void withoutLoadBalancerAddressesTheNodeIsLeftUntouched() throws Exception {
    binder.onService("default/web", service("web", "ClusterIP", "10.96.0.1"));
    assertThat(binder.sync()).isFalse();
    assertThat(link.takeCalls()).isEmpty();
    assertThat(link.addresses()).isEmpty();
  }

  @Test
  void theLinkHoldsExactlyTheIngressAddressesAndGoesWithTheLast() throws Exception {
    binder.onService("default/a", service("a", "LoadBalancer", "10.96.0.1", "192.168.50.10"));
    binder.onService("default/b", service("b", "LoadBalancer", "10.96.0.2", "192.168.50.11", "192.168.50.12"));
    assertThat(binder.sync()).isTrue();
    assertThat(link.takeCalls()).containsExactly("create", "add 192.168.50.10", "add 192.168.50.11",
        "add 192.168.50.12");

    assertThat(binder.sync()).as("nothing changed").isFalse();
    assertThat(link.takeCalls()).isEmpty();

    binder.onService("default/b", service("b", "LoadBalancer", "10.96.0.2", "192.168.50.12"));
    binder.sync();
    assertThat(link.takeCalls()).containsExactly("del 192.168.50.11");

    binder.onService("default/a", null);
    binder.sync();
    assertThat(link.addresses()).hasValue(Set.of("192.168.50.12"));

    binder.onService("default/b", service("b", "NodePort", "10.96.0.2"));
    binder.sync();
    assertThat(link.takeCalls()).containsExactly("del 192.168.50.10", "delete");
    assertThat(link.addresses()).isEmpty();
  }

  @Test
  void aSyncRepairsWhatWasChangedByHand() throws Exception {
    binder.onService("default/a", service("a", "LoadBalancer", "10.96.0.1", "192.168.50.10"));
    binder.sync();
    link.takeCalls();

    link.removeByHand("192.168.50.10");
    link.addByHand("192.168.50.99");
    link.setDownByHand();
    assertThat(binder.sync()).isTrue();
    assertThat(link.takeCalls()).containsExactly("up", "add 192.168.50.10", "del 192.168.50.99");
  }

  @Test
  void onlyIpv4AddressesOfServicesWithRulesCount() {
    assertThat(LoadBalancerAddressBinder.addressesOf(service("h", "LoadBalancer", "None", "192.168.50.1"))).isEmpty();
    assertThat(LoadBalancerAddressBinder.addressesOf(service("e", "ExternalName", "", "192.168.50.1"))).isEmpty();
    assertThat(LoadBalancerAddressBinder.addressesOf(service("x", "LoadBalancer", "10.96.0.1", "fd00::1",
        "300.1.1.1", "", "192.168.50.1"))).containsExactly("192.168.50.1");
  }

  @Test
  void theSyncThreadFollowsChangesAndRetriesAfterAFailure() throws Exception {
    link.failNext(new LinkException("ip: busy"));
    binder.start();
    try {
      binder.onService("default/a", service("a", "LoadBalancer", "10.96.0.1", "192.168.50.10"));
      await().atMost(Duration.ofSeconds(5)).until(() -> link.addresses().equals(Optional.of(Set.of("192.168.50.10"))));
      binder.onService("default/a", null);
      await().atMost(Duration.ofSeconds(5)).until(() -> link.addresses().isEmpty());
    } finally {
      binder.close();
    }
  }

  @Test
  void cleanupDeletesTheLinkIfThereIsOne() throws Exception {
    LoadBalancerAddressBinder.cleanup(link);
    assertThat(link.takeCalls()).isEmpty();
    binder.onService("default/a", service("a", "LoadBalancer", "10.96.0.1", "192.168.50.10"));
    binder.sync();
    link.takeCalls();
    LoadBalancerAddressBinder.cleanup(link);
    assertThat(link.takeCalls()).containsExactly("delete");
  }

  @Test
  void ipOutputIsParsed() {
    String addr = "3: minik8s-lb0    inet 10.77.9.9/32 scope global minik8s-lb0\\       valid_lft forever preferred_lft forever\n"
        + "3: minik8s-lb0    inet 10.77.9.10/32 scope global minik8s-lb0\\       valid_lft forever preferred_lft forever\n"
        + "3: minik8s-lb0    inet6 fe80::8006:42ff:fe5d:24a4/64 scope link \\       valid_lft forever preferred_lft forever\n";
    assertThat(IpCommandLinkAddresses.parseAddresses(addr)).containsExactlyInAnyOrder("10.77.9.9", "10.77.9.10");
    assertThat(IpCommandLinkAddresses.isUp("3: minik8s-lb0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue"))
        .isTrue();
    assertThat(IpCommandLinkAddresses.isUp("3: minik8s-lb0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN"))
        .isFalse();
  }

  private static Service service(String name, String type, String clusterIp, String... ingress) {
    LoadBalancerStatus.Builder lb = LoadBalancerStatus.newBuilder();
    for (String ip : ingress) {
      lb.addIngress(LoadBalancerIngress.newBuilder().setIp(ip));
    }
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name))
        .setSpec(ServiceSpec.newBuilder().setType(type).setClusterIp(clusterIp))
        .setStatus(ServiceStatus.newBuilder().setLoadBalancer(lb)).build();
  }
}
