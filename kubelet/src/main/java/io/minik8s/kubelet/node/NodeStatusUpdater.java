package io.minik8s.kubelet.node;

import io.minik8s.api.Node;
import io.minik8s.api.NodeStatus;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.Ticker;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.RuntimeHealth;
import io.minik8s.kubelet.cri.RuntimeVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the node and keeps its status fresh, as Kubernetes' kubelet does since node leases: the
 * first tick creates the Node (or adopts an existing one of that name: our labels and podCIDR are
 * added, nothing is removed) and writes its status; then every {@code updateFrequency} the status is
 * computed again (the runtime is asked whether it is ready) but written only when something other
 * than the heartbeat times changed, or when {@code reportFrequency} has passed since the last write.
 * Liveness between writes is the Lease's job ({@link NodeLeaseRenewer}); so a thousand idle nodes do
 * not write a thousand statuses every ten seconds. A failed tick is retried after {@link #RETRY}.
 *
 * <p>Ticks run on a scheduler shared with other tasks, never two at once. {@link #registered()} and
 * {@link #runtimeReady()} are readable from any thread.
 */
public final class NodeStatusUpdater implements AutoCloseable {
  static final Duration RETRY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(NodeStatusUpdater.class);

  private final ApiClient client;
  private final ContainerRuntime runtime;
  private final NodeConfig config;
  private final HostInfo host;
  private final Duration updateFrequency;
  private final Duration reportFrequency;
  private final Clock clock;
  private final Ticker ticker;
  private volatile boolean registered;
  private volatile boolean runtimeReady;
  private volatile Optional<RuntimeVersion> version = Optional.empty();
  private boolean lastTickFailed;
  // Guarded by this: the status last written (heartbeat times included) and when.
  private NodeStatus lastReported;
  private Instant lastReportedAt;

  /**
   * @param updateFrequency how often the status is computed (and written if it changed)
   * @param reportFrequency how often it is written even when unchanged (at least {@code updateFrequency})
   * @param timers where the ticks run (shared; not shut down by {@link #close()})
   */
  public NodeStatusUpdater(ApiClient client, ContainerRuntime runtime, NodeConfig config, HostInfo host,
      Duration updateFrequency, Duration reportFrequency, Clock clock, ScheduledExecutorService timers) {
    this.client = client;
    this.runtime = runtime;
    this.config = config;
    this.host = host;
    this.updateFrequency = updateFrequency;
    this.reportFrequency = reportFrequency.compareTo(updateFrequency) < 0 ? updateFrequency : reportFrequency;
    this.clock = clock;
    this.ticker = new Ticker("node-status " + config.nodeName(), timers, this::tick);
  }

  /** The first tick runs after {@code initialDelay} (hollow nodes spread theirs). */
  public void start(Duration initialDelay) {
    ticker.start(initialDelay);
  }

  public void start() {
    start(Duration.ZERO);
  }

  public boolean registered() {
    return registered;
  }

  public boolean runtimeReady() {
    return runtimeReady;
  }

  /** The runtime's version, once it has answered. */
  public Optional<RuntimeVersion> runtimeVersion() {
    return version;
  }

  private Duration tick() {
    Duration next = updateFrequency;
    try {
      syncOnce();
      if (lastTickFailed) {
        log.info("node status updates work again");
        lastTickFailed = false;
      }
    } catch (RuntimeException e) {
      if (!lastTickFailed) {
        log.atWarn().addKeyValue("node", config.nodeName()).addKeyValue("error", e.getMessage())
            .log("node registration or status update failed; retrying");
      }
      lastTickFailed = true;
      next = RETRY;
    }
    return next;
  }

  /**
   * Registers if needed, then writes the status if it changed or is due (on the caller's thread; tests).
   *
   * @return true if the status was written
   */
  public synchronized boolean syncOnce() {
    NodeStatusBuilder.RuntimeCheck check = checkRuntime();
    Instant now = clock.instant();
    if (registered && lastReported != null && now.isBefore(lastReportedAt.plus(reportFrequency))) {
      NodeStatus candidate = NodeStatusBuilder.status(config, host, version, check,
          lastReported.getConditionsList(), now);
      if (NodeStatusBuilder.sameIgnoringHeartbeats(candidate, lastReported)) {
        return false;
      }
    }
    Node current = registered ? client.get(Kinds.NODE, "", config.nodeName()) : register(check);
    NodeStatus status = NodeStatusBuilder.status(config, host, version, check,
        current.getStatus().getConditionsList(), now);
    Node updated = current.toBuilder().setStatus(status).build();
    updated = updated.toBuilder().setMetadata(updated.getMetadata().toBuilder().clearResourceVersion()).build();
    client.updateStatus(updated);
    lastReported = status;
    lastReportedAt = now;
    return true;
  }

  private Node register(NodeStatusBuilder.RuntimeCheck check) {
    Optional<Node> existing = client.find(Kinds.NODE, "", config.nodeName());
    Node node;
    if (existing.isEmpty()) {
      try {
        node = client.create(NodeStatusBuilder.newNode(config, host, version, check, clock.instant()));
        log.atInfo().addKeyValue("node", config.nodeName()).addKeyValue("podCIDR", config.podCidr())
            .addKeyValue("ip", host.nodeIp()).log("node registered");
        registered = true;
        return node;
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
        existing = Optional.of(client.get(Kinds.NODE, "", config.nodeName()));
      }
    }
    Node adopted = NodeStatusBuilder.adopt(existing.get(), config, host);
    node = adopted.equals(existing.get()) ? existing.get() : client.update(adopted);
    log.atInfo().addKeyValue("node", config.nodeName()).log("node already registered; adopted it");
    registered = true;
    return node;
  }

  private NodeStatusBuilder.RuntimeCheck checkRuntime() {
    try {
      if (version.isEmpty()) {
        version = Optional.of(runtime.version());
      }
      RuntimeHealth health = runtime.health();
      runtimeReady = health.ready();
      return new NodeStatusBuilder.RuntimeCheck(health, "");
    } catch (RuntimeException e) {
      runtimeReady = false;
      return NodeStatusBuilder.RuntimeCheck.failed(e.getMessage());
    }
  }

  /** Stops the ticks (one in progress finishes). */
  @Override
  public void close() {
    ticker.close();
  }
}
