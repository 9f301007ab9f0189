package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.LoadBalancerStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.ServiceStatus;
import io.minik8s.kubeproxy.loadbalancer.IpCommandLinkAddresses;
import io.minik8s.kubeproxy.loadbalancer.LinkAddresses;
import io.minik8s.kubeproxy.loadbalancer.LoadBalancerAddressBinder;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binder with the real {@code ip} command, inside network namespaces of the test's own: a "node"
 * namespace where kube-proxy's link lives, and a "client" namespace on the same segment (a veth pair
 * between the two) that asks by ARP who has the load-balancer IP. The node answers exactly while the
 * address is bound; the host's own interfaces are never touched.
 */
class LoadBalancerAddressNetnsTest {
  private static final String LB_IP = "10.77.9.9";
  private static Netns node;
  private static Netns client;

  @BeforeAll
  static void createNamespaces() throws Exception {
    node = new Netns();
    client = new Netns();
    Netns.run("ip", "link", "add", "m8s-node", "netns", node.name, "type", "veth", "peer", "name", "m8s-client",
        "netns", client.name);
    node.exec("ip", "link", "set", "m8s-node", "up");
    node.exec("ip", "addr", "add", "10.77.0.1/24", "dev", "m8s-node");
    client.exec("ip", "link", "set", "m8s-client", "up");
    client.exec("ip", "addr", "add", "10.77.0.2/24", "dev", "m8s-client");
    // The client reaches the load-balancer range directly on the segment, as on a LAN: ARP decides who answers.
    client.exec("ip", "route", "add", "10.77.9.0/24", "dev", "m8s-client");
  }

  @AfterAll
  static void deleteNamespaces() throws Exception {
    if (client != null) {
      client.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theNodeAnswersArpForABoundLoadBalancerIpUntilItIsReleased() throws Exception {
    LinkAddresses link = IpCommandLinkAddresses.inNetns(node.name);
    LoadBalancerAddressBinder binder = new LoadBalancerAddressBinder(link, Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(answersArp()).as("nothing bound yet").isFalse();

    binder.onService("default/web", loadBalancer("web", LB_IP));
    assertThat(binder.sync()).isTrue();
    assertThat(node.exec("ip", "-o", "-4", "addr", "show", "dev", IpCommandLinkAddresses.DEFAULT_LINK))
        .contains("inet " + LB_IP + "/32");
    assertThat(link.read()).hasValueSatisfying(s -> {
      assertThat(s.up()).isTrue();
      assertThat(s.addresses()).isEqualTo(Set.of(LB_IP));
    });
    assertThat(answersArp()).isTrue();
    assertThat(client.tryExec("busybox", "ping", "-c", "1", "-W", "2", LB_IP).exitCode()).isZero();
    assertThat(binder.sync()).as("a second sync finds nothing to do").isFalse();

    // Drift: the address is removed by hand; the next sync puts it back.
    node.exec("ip", "addr", "del", LB_IP + "/32", "dev", IpCommandLinkAddresses.DEFAULT_LINK);
    assertThat(binder.sync()).isTrue();
    assertThat(link.read().orElseThrow().addresses()).containsExactly(LB_IP);

    binder.onService("default/web", null);
    assertThat(binder.sync()).isTrue();
    assertThat(link.read()).as("the link goes with the last address").isEmpty();
    client.exec("ip", "neigh", "flush", "dev", "m8s-client");
    assertThat(answersArp()).isFalse();

    binder.onService("default/web", loadBalancer("web", LB_IP));
    binder.sync();
    LoadBalancerAddressBinder.cleanup(link);
    assertThat(link.read()).as("--cleanup removes the link").isEmpty();
  }

  private static boolean answersArp() throws Exception {
    return client.tryExec("busybox", "arping", "-c", "1", "-w", "2", "-I", "m8s-client", LB_IP).exitCode() == 0;
  }

  private static Service loadBalancer(String name, String ip) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name))
        .setSpec(ServiceSpec.newBuilder().setType("LoadBalancer").setClusterIp("10.96.0.10"))
        .setStatus(ServiceStatus.newBuilder().setLoadBalancer(LoadBalancerStatus.newBuilder()
            .addIngress(LoadBalancerIngress.newBuilder().setIp(ip))))
        .build();
  }
}
