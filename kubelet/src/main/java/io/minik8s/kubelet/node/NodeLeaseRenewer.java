package io.minik8s.kubelet.node;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat Lease, {@code kube-node-lease/<node>}: created on the first tick (owned by the
 * Node, so it goes with it), its renewTime set to now every {@code interval}. The lease says how long
 * a silent node stays trusted: {@link #LEASE_DURATION_SECONDS}. One thread; a failed renewal is
 * retried after a second.
 */
public final class NodeLeaseRenewer implements AutoCloseable {
  public static final String NAMESPACE = "kube-node-lease";
  public static final int LEASE_DURATION_SECONDS = 40;
  private static final Logger log = LoggerFactory.getLogger(NodeLeaseRenewer.class);

  private final ApiClient client;
  private final String nodeName;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-lease");
    t.setDaemon(true);
    return t;
  });
  private boolean lastFailed;

  public NodeLeaseRenewer(ApiClient client, String nodeName, Duration interval, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.interval = interval;
    this.clock = clock;
  }

  public void start() {
    thread.execute(this::tick);
  }

  private void tick() {
    Duration next = interval;
    try {
      renewOnce();
      lastFailed = false;
    } catch (RuntimeException e) {
      if (!lastFailed) {
        log.atWarn().addKeyValue("node", nodeName).addKeyValue("error", e.getMessage()).log("lease renewal failed");
      }
      lastFailed = true;
      next = Duration.ofSeconds(1);
    }
    if (!thread.isShutdown()) {
      thread.schedule(this::tick, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Creates or renews the lease once (on the caller's thread). */
  public void renewOnce() {
    Optional<Lease> existing = client.find(Kinds.LEASE, NAMESPACE, nodeName);
    if (existing.isEmpty()) {
      ObjectMeta.Builder meta = ObjectMeta.newBuilder().setName(nodeName).setNamespace(NAMESPACE);
      client.find(Kinds.NODE, "", nodeName).ifPresent(node -> meta.addOwnerReferences(OwnerReference.newBuilder()
          .setApiVersion("v1").setKind("Node").setName(nodeName).setUid(node.getMetadata().getUid())));
      try {
        client.create(Lease.newBuilder().setMetadata(meta).setSpec(LeaseSpec.newBuilder()
            .setHolderIdentity(nodeName).setLeaseDurationSeconds(LEASE_DURATION_SECONDS)
            .setRenewTime(Timestamps.of(clock.instant()))).build());
        return;
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
        existing = Optional.of(client.get(Kinds.LEASE, NAMESPACE, nodeName));
      }
    }
    Lease lease = existing.get();
    client.update(lease.toBuilder().setSpec(lease.getSpec().toBuilder().setHolderIdentity(nodeName)
        .setLeaseDurationSeconds(LEASE_DURATION_SECONDS).setRenewTime(Timestamps.of(clock.instant()))).build());
  }

  @Override
  public void close() throws InterruptedException {
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }
}
