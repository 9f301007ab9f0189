package io.minik8s.kubeproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.kubeproxy.iptables.ExecIptablesRunner;
import io.minik8s.kubeproxy.rules.ChainNames;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import io.minik8s.kubeproxy.rules.ServiceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules applied for real with iptables-restore, inside a network namespace of the test's
 * own (never the host's tables): a ClusterIP and a NodePort reach busybox httpd listeners standing in
 * for pods, an endpoint change re-routes, drift is repaired by a full sync, and cleanup leaves nothing.
 */
class ProxierNetnsTest {
  private static Netns ns;
  @TempDir
  static Path www;

  @BeforeAll
  static void createNamespace() throws Exception {
    ns = new Netns();
    ns.exec("ip", "addr", "add", "10.244.1.1/24", "dev", "m8s0");
    ns.exec("ip", "addr", "add", "10.244.1.5/24", "dev", "m8s0");
    ns.exec("ip", "addr", "add", "10.244.1.6/24", "dev", "m8s0");
    // Locally sent packets are routed before OUTPUT's DNAT: the made-up ClusterIP range needs a route.
    ns.exec("ip", "route", "add", "10.96.0.0/12", "dev", "m8s0");
    for (String pod : new String[] {"one", "two"}) {
      Path dir = Files.createDirectories(www.resolve(pod));
      Files.writeString(dir.resolve("index.html"), pod + "\n");
    }
    ns.spawn("busybox", "httpd", "-f", "-p", "10.244.1.5:8080", "-h", www.resolve("one").toString());
    ns.spawn("busybox", "httpd", "-f", "-p", "10.244.1.6:8080", "-h", www.resolve("two").toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> get("10.244.1.6:8080").equals("two\n")
        && get("10.244.1.5:8080").equals("one\n"));
  }

  @AfterAll
  static void deleteNamespace() throws Exception {
    if (ns != null) {
      ns.close();
    }
  }

  @AfterEach
  void removeOurRules() throws Exception {
    // Each test starts from a namespace without our chains, even after a failure.
    Proxier.cleanup(ExecIptablesRunner.inNetns(ns.name));
  }

  private static String get(String hostPort) throws Exception {
    Netns.Outcome out = ns.tryExec("busybox", "timeout", "3", "busybox", "wget", "-qO-", "http://" + hostPort + "/");
    return out.exitCode() == 0 ? out.output() : "failed: " + out.output();
  }

  private static Service web() {
    return Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web"))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").setClusterIp("10.96.0.50")
            .addPorts(ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80).setNodePort(30080)))
        .build();
  }

  private static Endpoints endpoints(String ip) {
    return Endpoints.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web"))
        .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp(ip))
            .addPorts(EndpointPort.newBuilder().setName("http").setPort(8080).setProtocol("TCP")))
        .build();
  }

  @Test
  void clusterIpAndNodePortReachTheEndpointFollowChangesRepairDriftAndCleanUp() throws Exception {
    ExecIptablesRunner iptables = ExecIptablesRunner.inNetns(ns.name);
    Proxier proxier = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    proxier.onService("default/web", web());
    proxier.onEndpoints("default/web", endpoints("10.244.1.5"));

    assertThat(proxier.sync(false)).isTrue();
    assertThat(get("10.96.0.50:80")).isEqualTo("one\n");
    assertThat(get("10.244.1.1:30080")).isEqualTo("one\n");
    assertThat(proxier.sync(false)).as("unchanged state: no iptables call").isFalse();
    assertThat(proxier.sync(true)).as("full sync, nothing drifted").isFalse();

    proxier.onEndpoints("default/web", endpoints("10.244.1.6"));
    assertThat(proxier.sync(false)).isTrue();
    assertThat(get("10.96.0.50:80")).isEqualTo("two\n");
    String nat = ns.exec("iptables-save", "-t", "nat");
    ServiceInfo svc = ServiceInfo.fromService(web()).get(0);
    assertThat(nat).contains(ChainNames.endpoint(svc, new io.minik8s.kubeproxy.rules.EndpointsInfo.Endpoint(
        "10.244.1.6", 8080))).doesNotContain(ChainNames.endpoint(svc,
            new io.minik8s.kubeproxy.rules.EndpointsInfo.Endpoint("10.244.1.5", 8080)));

    // Drift: someone empties the service chain by hand. Only the full resync notices and repairs it.
    ns.exec("iptables", "-w", "-t", "nat", "-F", ChainNames.service(svc));
    assertThat(get("10.96.0.50:80")).startsWith("failed");
    assertThat(proxier.sync(false)).isFalse();
    assertThat(proxier.sync(true)).isTrue();
    assertThat(get("10.96.0.50:80")).isEqualTo("two\n");

    // No endpoints: rejected in the filter table (fails at once instead of timing out).
    proxier.onEndpoints("default/web", null);
    assertThat(proxier.sync(false)).isTrue();
    Netns.Outcome refused = ns.tryExec("busybox", "timeout", "3", "busybox", "wget", "-qO-", "http://10.96.0.50/");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).containsIgnoringCase("refused");
    assertThat(ns.exec("iptables-save", "-t", "nat")).doesNotContain("MINIK8S-SVC-");

    Proxier.cleanup(iptables);
    assertThat(ns.exec("iptables-save", "-t", "nat")).doesNotContain("MINIK8S");
    assertThat(ns.exec("iptables-save", "-t", "filter")).doesNotContain("MINIK8S");
  }

  @Test
  void partialSyncsBetweenFullOnesLeaveExactlyTheRulesAFullRestoreWouldWrite() throws Exception {
    ExecIptablesRunner iptables = ExecIptablesRunner.inNetns(ns.name);
    Proxier proxier = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    proxier.onService("default/web", web());
    proxier.onEndpoints("default/web", endpoints("10.244.1.5"));
    Service api = web().toBuilder().setMetadata(web().getMetadata().toBuilder().setName("api"))
        .setSpec(web().getSpec().toBuilder().setClusterIp("10.96.0.51").setPorts(0,
            web().getSpec().getPorts(0).toBuilder().setNodePort(30081))).build();
    Endpoints apiEndpoints = endpoints("10.244.1.6").toBuilder()
        .setMetadata(endpoints("10.244.1.6").getMetadata().toBuilder().setName("api")).build();
    proxier.sync(false); // the first sync is a full one: adopts, writes everything

    proxier.onService("default/api", api);                       // a new service ...
    proxier.onEndpoints("default/api", apiEndpoints);
    assertThat(proxier.sync(false)).isTrue();
    assertThat(get("10.96.0.51:80")).isEqualTo("two\n");
    proxier.onEndpoints("default/web", endpoints("10.244.1.6"));  // ... an endpoint moves ...
    assertThat(proxier.sync(false)).isTrue();
    proxier.onService("default/api", null);                       // ... a service goes
    proxier.onEndpoints("default/api", null);
    assertThat(proxier.sync(false)).isTrue();
    assertThat(get("10.96.0.50:80")).isEqualTo("two\n");
    List<String> afterPartials = ourLines();

    Proxier.cleanup(iptables);
    Proxier fresh = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    fresh.onService("default/web", web());
    fresh.onEndpoints("default/web", endpoints("10.244.1.6"));
    fresh.sync(true);
    assertThat(afterPartials).isEqualTo(ourLines()).isNotEmpty();
  }

  /** Our chains and rules in both tables, without counters, sorted. */
  private static List<String> ourLines() throws Exception {
    List<String> lines = new java.util.ArrayList<>();
    for (String table : io.minik8s.kubeproxy.rules.RuleSet.TABLES) {
      ns.exec("iptables-save", "-t", table).lines().filter(l -> l.contains("MINIK8S"))
          .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).forEach(lines::add);
    }
    java.util.Collections.sort(lines);
    return lines;
  }

  @Test
  void aRestartedProxierAdoptsItsChainsAndDeletesStaleOnes() throws Exception {
    ExecIptablesRunner iptables = ExecIptablesRunner.inNetns(ns.name);
    Proxier first = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    first.onService("default/web", web());
    first.onEndpoints("default/web", endpoints("10.244.1.5"));
    first.sync(false);

    // A new process that only knows the service moved to the other pod: adopts, reroutes, removes the rest.
    Proxier second = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    second.onService("default/web", web());
    second.onEndpoints("default/web", endpoints("10.244.1.6"));
    second.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> get("10.96.0.50:80").equals("two\n"));
      String nat = ns.exec("iptables-save", "-t", "nat");
      assertThat(nat.lines().filter(l -> l.startsWith(":MINIK8S-SEP-"))).hasSize(1);
      assertThat(nat.lines().filter(l -> l.contains("-j MINIK8S-SERVICES"))).hasSize(2);
    } finally {
      second.close();
    }
    Proxier.cleanup(iptables);
    assertThat(ns.exec("iptables-save")).doesNotContain("MINIK8S");
  }
}
