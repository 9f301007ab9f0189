package io.minik8s.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.testing.FakeApiServer;
import io.minik8s.kubelet.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a node's status updates and lease renewals cost the API server: writes only when they say something. */
class NodeHeartbeatsTest {
  private static final HostInfo HOST = new HostInfo("n1", "10.1.0.5", 4, 16 * 1024 * 1024, "6.1", "Debian",
      "amd64", "m", "b", "s");
  private final FakeApiServer api = new FakeApiServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final FakeRuntime runtime = new FakeRuntime();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final NodeStatusUpdater status = new NodeStatusUpdater(api.client(), runtime,
      new NodeConfig("n1", "10.64.0.0/24", 10250, "v0"), HOST, Duration.ofSeconds(10), Duration.ofMinutes(5), clock,
      timers);
  private final NodeLeaseRenewer lease = new NodeLeaseRenewer(api.client(), "n1", Duration.ofSeconds(10), clock,
      timers);

  @AfterEach
  void close() {
    timers.shutdownNow();
    api.close();
  }

  @Test
  void theStatusIsWrittenWhenItChangesOrWhenTheReportIsDueNotOnEveryTick() {
    assertThat(status.syncOnce()).isTrue();
    assertThat(api.takeCalls()).containsExactly("get nodes n1", "create nodes n1", "status nodes n1");

    clock.advance(Duration.ofSeconds(10));
    assertThat(status.syncOnce()).isFalse(); // only the heartbeat time would change
    assertThat(api.takeCalls()).isEmpty();

    runtime.failNext("Status", "runtime is down");
    clock.advance(Duration.ofSeconds(10));
    assertThat(status.syncOnce()).isTrue();
    assertThat(api.takeCalls()).containsExactly("get nodes n1", "status nodes n1");
    assertThat(ready(api.stored(Kinds.NODE, "", "n1").orElseThrow()).getStatus()).isEqualTo("False");

    clock.advance(Duration.ofSeconds(10));
    assertThat(status.syncOnce()).isTrue(); // ready again: a change
    assertThat(ready(api.stored(Kinds.NODE, "", "n1").orElseThrow()).getStatus()).isEqualTo("True");
    api.takeCalls();

    clock.advance(Duration.ofMinutes(4));
    assertThat(status.syncOnce()).isFalse();
    clock.advance(Duration.ofMinutes(1)); // five minutes since the last write
    assertThat(status.syncOnce()).isTrue();
    assertThat(ready(api.stored(Kinds.NODE, "", "n1").orElseThrow()).getLastHeartbeatTime().getSeconds())
        .isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void theLeaseIsRenewedWithoutReadingItAgainUnlessSomeoneElseWroteIt() {
    status.syncOnce();
    api.takeCalls();

    lease.renewOnce();
    assertThat(api.takeCalls()).containsExactly("get leases n1", "get nodes n1", "create leases n1");
    Lease created = api.stored(Kinds.LEASE, NodeLeaseRenewer.NAMESPACE, "n1").orElseThrow();
    assertThat(created.getMetadata().getOwnerReferences(0).getName()).isEqualTo("n1");

    clock.advance(Duration.ofSeconds(10));
    lease.renewOnce();
    assertThat(api.takeCalls()).containsExactly("update leases n1");
    assertThat(renewSeconds()).isEqualTo(clock.instant().getEpochSecond());

    api.overwrite(api.stored(Kinds.LEASE, NodeLeaseRenewer.NAMESPACE, "n1").orElseThrow());
    clock.advance(Duration.ofSeconds(10));
    lease.renewOnce(); // a conflict: read, then write again
    assertThat(api.takeCalls()).containsExactly("update leases n1", "get leases n1", "update leases n1");
    assertThat(renewSeconds()).isEqualTo(clock.instant().getEpochSecond());
  }

  private long renewSeconds() {
    return api.stored(Kinds.LEASE, NodeLeaseRenewer.NAMESPACE, "n1").orElseThrow().getSpec().getRenewTime()
        .getSeconds();
  }

  private static NodeCondition ready(Node node) {
    return node.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst()
        .orElseThrow();
  }
}
