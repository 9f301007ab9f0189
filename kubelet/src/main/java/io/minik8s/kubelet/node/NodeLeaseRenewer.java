package io.minik8s.kubelet.node;

import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.Ticker;
import io.minik8s.kubelet.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat Lease, {@code kube-node-lease/<node>}: created on the first tick (owned by the
 * Node, so it goes with it), its renewTime set to now every {@code interval}. The lease says how long
 * a silent node stays trusted: {@link #LEASE_DURATION_SECONDS}. As Kubernetes' kubelet does, a renewal
 * updates the lease it wrote last (compare-and-swap on its resourceVersion) without reading it first;
 * only a conflict, or no lease known yet, costs a read. A failed renewal is retried after a second.
 *
 * <p>Renewals run on a scheduler shared with other tasks, never two at once.
 */
public final class NodeLeaseRenewer implements AutoCloseable {
  public static final String NAMESPACE = "kube-node-lease";
  public static final int LEASE_DURATION_SECONDS = 40;
  private static final Logger log = LoggerFactory.getLogger(NodeLeaseRenewer.class);

  private final ApiClient client;
  private final String nodeName;
  private final Duration interval;
  private final Clock clock;
  private final Ticker ticker;
  private boolean lastFailed;
  /** The lease as last written (guarded by this); null until the first renewal, or after a conflict. */
  private Lease latest;

  /** @param timers where renewals run (shared; not shut down by {@link #close()}) */
  public NodeLeaseRenewer(ApiClient client, String nodeName, Duration interval, Clock clock,
      ScheduledExecutorService timers) {
    this.client = client;
    this.nodeName = nodeName;
    this.interval = interval;
    this.clock = clock;
    this.ticker = new Ticker("node-lease " + nodeName, timers, this::tick);
  }

  /** The first renewal runs after {@code initialDelay} (hollow nodes spread theirs). */
  public void start(Duration initialDelay) {
    ticker.start(initialDelay);
  }

  public void start() {
    start(Duration.ZERO);
  }

  private Duration tick() {
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
    return next;
  }

  /** Creates or renews the lease once (on the caller's thread). */
  public synchronized void renewOnce() {
    if (latest != null) {
      try {
        latest = client.update(renewed(latest));
        return;
      } catch (ApiException e) {
        latest = null;
        if (!e.isConflict() && !e.isNotFound()) {
          throw e;
        }
        // someone else wrote it, or it is gone: read it again below
      }
    }
    Optional<Lease> existing = client.find(Kinds.LEASE, NAMESPACE, nodeName);
    if (existing.isEmpty()) {
      ObjectMeta.Builder meta = ObjectMeta.newBuilder().setName(nodeName).setNamespace(NAMESPACE);
      client.find(Kinds.NODE, "", nodeName).ifPresent(node -> meta.addOwnerReferences(OwnerReference.newBuilder()
          .setApiVersion("v1").setKind("Node").setName(nodeName).setUid(node.getMetadata().getUid())));
      try {
        latest = client.create(Lease.newBuilder().setMetadata(meta).setSpec(LeaseSpec.newBuilder()
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
    latest = client.update(renewed(existing.get()));
  }

  private Lease renewed(Lease lease) {
    return lease.toBuilder().setSpec(lease.getSpec().toBuilder().setHolderIdentity(nodeName)
        .setLeaseDurationSeconds(LEASE_DURATION_SECONDS).setRenewTime(Timestamps.of(clock.instant()))).build();
  }

  /** Stops the renewals (one in progress finishes). */
  @Override
  public void close() {
    ticker.close();
  }
}
