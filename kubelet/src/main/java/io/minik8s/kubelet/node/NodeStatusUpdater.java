package io.minik8s.kubelet.node;

import io.minik8s.api.Node;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.RuntimeHealth;
import io.minik8s.kubelet.cri.RuntimeVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the node and keeps its status fresh. On its own thread: the first tick creates the Node
 * (or adopts an existing one of that name: our labels and podCIDR are added, nothing is removed), then
 * every {@code frequency} the runtime is asked whether it is ready and the node's status is written
 * with a new heartbeat. A failed tick is retried after {@link #RETRY} instead of a full period.
 *
 * <p>{@link #registered()} and {@link #runtimeReady()} are readable from any thread.
 */
public final class NodeStatusUpdater implements AutoCloseable {
  static final Duration RETRY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(NodeStatusUpdater.class);

  private final ApiClient client;
  private final ContainerRuntime runtime;
  private final NodeConfig config;
  private final HostInfo host;
  private final Duration frequency;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-status");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean registered;
  private volatile boolean runtimeReady;
  private volatile Optional<RuntimeVersion> version = Optional.empty();
  private boolean lastTickFailed;

  public NodeStatusUpdater(ApiClient client, ContainerRuntime runtime, NodeConfig config, HostInfo host,
      Duration frequency, Clock clock) {
    this.client = client;
    this.runtime = runtime;
    this.config = config;
    this.host = host;
    this.frequency = frequency;
    this.clock = clock;
  }

  public void start() {
    thread.execute(this::tick);
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

  private void tick() {
    Duration next = frequency;
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
    if (!thread.isShutdown()) {
      thread.schedule(this::tick, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Registers if needed, then writes the status once (on the caller's thread; tests). */
  public synchronized void syncOnce() {
    NodeStatusBuilder.RuntimeCheck check = checkRuntime();
    Node current = registered ? client.get(Kinds.NODE, "", config.nodeName()) : register(check);
    Node updated = current.toBuilder().setStatus(NodeStatusBuilder.status(config, host, version, check,
        current.getStatus().getConditionsList(), clock.instant())).build();
    updated = updated.toBuilder().setMetadata(updated.getMetadata().toBuilder().clearResourceVersion()).build();
    client.updateStatus(updated);
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

  @Override
  public void close() throws InterruptedException {
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }
}
