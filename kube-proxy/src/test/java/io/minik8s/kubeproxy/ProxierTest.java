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
import io.minik8s.kubeproxy.iptables.IptablesRunner;
import io.minik8s.kubeproxy.rules.Jump;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The proxier's bookkeeping (skip, batching, metrics) against an in-memory iptables. */
class ProxierTest {
  /** Records restores; saves return an empty table; jumps are remembered. */
  static final class RecordingIptables implements IptablesRunner {
    final List<String> restores = new CopyOnWriteArrayList<>();
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Jump> jumps = new CopyOnWriteArrayList<>();

    @Override
    public void restore(String table, String rules) {
      restores.add(table);
      texts.add(rules);
    }

    @Override
    public String save(String table) {
      return "*" + table + "\nCOMMIT\n";
    }

    @Override
    public void ensureJump(Jump jump) {
      if (!jumps.contains(jump)) {
        jumps.add(jump);
      }
    }

    @Override
    public void deleteChainsWithPrefix(String table, String prefix) {}

    long natRestores() {
      return restores.stream().filter("nat"::equals).count();
    }
  }

  private static Service service(int i) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("s" + i))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("10.96.0." + (i + 1))
            .addPorts(ServicePort.newBuilder().setProtocol("TCP").setPort(80)))
        .build();
  }

  private static Endpoints endpoints(int i, String ip) {
    return Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("s" + i))
        .addSubsets(EndpointSubset.newBuilder().addAddresses(EndpointAddress.newBuilder().setIp(ip))
            .addPorts(EndpointPort.newBuilder().setPort(8080)))
        .build();
  }

  @Test
  void unchangedStateSkipsIptablesAndMetricsFollowTheLastSync() throws Exception {
    RecordingIptables iptables = new RecordingIptables();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Proxier proxier = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "n1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), meters);
    proxier.onService("default/s0", service(0));
    proxier.onEndpoints("default/s0", endpoints(0, "10.244.1.5"));

    assertThat(proxier.isHealthy()).isFalse();
    assertThat(proxier.sync(false)).isTrue();
    assertThat(iptables.restores).containsExactly("nat", "filter");
    assertThat(iptables.jumps).hasSize(6);
    assertThat(proxier.sync(false)).isFalse();
    assertThat(iptables.restores).hasSize(2);
    assertThat(proxier.isHealthy()).isTrue();
    assertThat(meters.get("kubeproxy_sync_proxy_rules_iptables_total").gauge().value())
        .isEqualTo(proxier.desired().ruleCount());
    assertThat(meters.get("kubeproxy_sync_proxy_rules_duration").timer().count()).isEqualTo(1);

    // An endpoint change rewrites the nat table only: the filter text did not change.
    proxier.onEndpoints("default/s0", endpoints(0, "10.244.1.6"));
    assertThat(proxier.sync(false)).isTrue();
    assertThat(iptables.restores).containsExactly("nat", "filter", "nat");
  }

  @Test
  void changesWithinTheMinimumSyncPeriodAreBatchedIntoOneRestore() throws Exception {
    RecordingIptables iptables = new RecordingIptables();
    Proxier proxier = new Proxier(iptables, ProxyConfig.of(""), "n1", Duration.ofMillis(800), Duration.ofHours(1),
        new SimpleMeterRegistry());
    proxier.start();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> iptables.natRestores() == 1);
      for (int i = 0; i < 20; i++) {
        proxier.onService("default/s" + i, service(i));
        proxier.onEndpoints("default/s" + i, endpoints(i, "10.244.1." + (i + 1)));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> iptables.natRestores() == 2);
      await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> iptables.natRestores() == 2);
    } finally {
      proxier.close();
    }
  }

  @Test
  void betweenFullSyncsOnlyTheChainsThatChangedAreWritten() throws Exception {
    RecordingIptables iptables = new RecordingIptables();
    Proxier proxier = new Proxier(iptables, ProxyConfig.of("10.244.0.0/16"), "node-1", Duration.ofSeconds(1),
        Duration.ofSeconds(30), new SimpleMeterRegistry());
    for (int i = 0; i < 50; i++) {
      proxier.onService("default/s" + i, service(i));
      proxier.onEndpoints("default/s" + i, endpoints(i, "10.244.1." + (i + 10)));
    }
    proxier.sync(false);
    String full = iptables.texts.get(iptables.restores.indexOf("nat"));
    assertThat(full.lines().filter(l -> l.startsWith(":MINIK8S-SEP-"))).hasSize(50);

    iptables.texts.clear();
    iptables.restores.clear();
    proxier.onEndpoints("default/s7", endpoints(7, "10.244.2.99"));
    assertThat(proxier.sync(false)).isTrue();
    String partial = iptables.texts.get(iptables.restores.indexOf("nat"));
    // s7's service chain is rewritten, its new endpoint chain made, its old one deleted; nothing else.
    assertThat(partial.lines().filter(l -> l.startsWith(":"))).hasSize(3);
    assertThat(partial.lines().filter(l -> l.startsWith("-X "))).hasSize(1);
    assertThat(partial).contains("10.244.2.99").doesNotContain("10.244.1.10:");
    assertThat(iptables.restores).as("the filter table did not change").doesNotContain("filter");
  }
}
