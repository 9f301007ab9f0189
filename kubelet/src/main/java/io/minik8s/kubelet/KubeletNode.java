package io.minik8s.kubelet;

import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.RuntimeVersion;
import io.minik8s.kubelet.events.ApiEventRecorder;
import io.minik8s.kubelet.events.EventRecorder;
import io.minik8s.kubelet.node.HostInfo;
import io.minik8s.kubelet.node.NodeConfig;
import io.minik8s.kubelet.node.NodeLeaseRenewer;
import io.minik8s.kubelet.node.NodeStatusUpdater;
import io.minik8s.kubelet.pleg.Relister;
import io.minik8s.kubelet.pod.PodKey;
import io.minik8s.kubelet.pod.PodSpecs;
import io.minik8s.kubelet.pod.PodWorker;
import io.minik8s.kubelet.pod.PodWorkerRouter;
import io.minik8s.kubelet.pod.PodsByNode;
import io.minik8s.kubelet.probe.ProbeManager;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.status.PodStatusCalculator;
import io.minik8s.kubelet.status.PodStatusWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * One node's kubelet: registration and status ({@link NodeStatusUpdater}), the Lease heartbeat
 * ({@link NodeLeaseRenewer}), the pod worker with its probes, back-off and status writer, and the
 * relister of its container runtime; wired onto the parts its process shares ({@link Shared}), so the
 * same code runs one real node in {@code bin/kubelet} and a thousand hollow ones in
 * {@code bin/hollow-nodes}. It owns no thread: its periodic tasks run on the shared scheduler, its pods
 * on the shared workers.
 *
 * <p>Start order: {@link #startHeartbeats} (the node registers even while its runtime is down),
 * {@link #startPodWorkers} once the runtime has answered, {@link #startRelist} once the shared pod
 * informer has synced (the first relist removes runtime pods the API does not know, which is right only
 * then). {@link #close()} stops them all; it never stops pods: a kubelet started again adopts them.
 */
public final class KubeletNode implements AutoCloseable {
  /** Per-node settings (the kubelet's flags). */
  public record Settings(Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency,
      Duration leaseRenewInterval, Duration relistPeriod, Duration restartBackoffBase, Duration restartBackoffMax,
      Path podLogDir, List<String> clusterDns, String clusterDomain, boolean recordEvents) {
    public Settings {
      clusterDns = List.copyOf(clusterDns);
    }
  }

  /**
   * What the nodes of a process share ({@link KubeletProcess} makes it).
   *
   * @param timers runs every node's status updates, lease renewals and relists
   * @param events runs the create calls of every node's Events
   * @param enqueue adds a key to the shared pod work queue
   * @param nodeMeters where each node's own meters go (the relister's); hollow nodes pass a registry that
   *     keeps nothing, as a thousand copies would say nothing
   */
  public record Shared(ApiClient client, Clock clock, ScheduledExecutorService timers, Executor events,
      PodsByNode pods, Consumer<PodKey> enqueue, PodWorkerRouter router, MeterRegistry nodeMeters) {}

  private final NodeConfig config;
  private final HostInfo host;
  private final ContainerRuntime runtime;
  private final Settings settings;
  private final Shared shared;
  private final NodeStatusUpdater status;
  private final NodeLeaseRenewer lease;
  private ProbeManager probes;
  private PodWorker worker;
  private Relister relister;

  public KubeletNode(NodeConfig config, HostInfo host, ContainerRuntime runtime, Settings settings, Shared shared) {
    this.config = Objects.requireNonNull(config, "config");
    this.host = Objects.requireNonNull(host, "host");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shared = Objects.requireNonNull(shared, "shared");
    this.status = new NodeStatusUpdater(shared.client(), runtime, config, host, settings.nodeStatusUpdateFrequency(),
        settings.nodeStatusReportFrequency(), shared.clock(), shared.timers());
    this.lease = new NodeLeaseRenewer(shared.client(), config.nodeName(), settings.leaseRenewInterval(),
        shared.clock(), shared.timers());
  }

  public String name() {
    return config.nodeName();
  }

  /** Registers the node and starts its status updates and lease renewals after {@code initialDelay}. */
  public void startHeartbeats(Duration initialDelay) {
    status.start(initialDelay);
    lease.start(initialDelay);
  }

  /**
   * Starts syncing this node's pods: builds the pod worker for a runtime that answered with
   * {@code version} and routes the node's pods to it through the shared queue.
   */
  public synchronized void startPodWorkers(RuntimeVersion version) {
    if (worker != null) {
      throw new IllegalStateException("pod workers of " + name() + " already started");
    }
    String node = config.nodeName();
    Consumer<String> enqueue = uid -> shared.enqueue().accept(new PodKey(node, uid));
    ApiClient client = shared.client();
    EventRecorder events = settings.recordEvents()
        ? new ApiEventRecorder(client, node, shared.clock(), shared.events()) : EventRecorder.NONE;
    probes = new ProbeManager(runtime, enqueue);
    worker = new PodWorker(
        uid -> shared.pods().pod(node, uid),
        runtime,
        new PodSpecs(settings.podLogDir(), settings.clusterDns(), settings.clusterDomain()),
        new RestartBackoff(settings.restartBackoffBase(), settings.restartBackoffMax(), shared.clock()),
        new PodStatusCalculator(host.nodeIp(), version.runtimeName()),
        new PodStatusWriter(client::updateStatus),
        pod -> confirmDeletion(client, pod),
        probes, events, shared.clock());
    shared.router().register(node, worker);
    shared.pods().register(node, enqueue);
  }

  /** Starts relisting the runtime, the first time after {@code initialDelay}; after the pod informer synced. */
  public synchronized void startRelist(Duration initialDelay) {
    if (relister != null) {
      throw new IllegalStateException("relister of " + name() + " already started");
    }
    String node = config.nodeName();
    relister = new Relister(runtime, uid -> shared.enqueue().accept(new PodKey(node, uid)),
        settings.relistPeriod(), shared.clock(), shared.nodeMeters(), shared.timers());
    relister.start(initialDelay);
  }

  /** Whether the Node object exists (this kubelet created or adopted it). */
  public boolean registered() {
    return status.registered();
  }

  public boolean runtimeReady() {
    return status.runtimeReady();
  }

  /** False once no relist has worked for {@link Relister#UNHEALTHY_AFTER} (true before the first). */
  public synchronized boolean relistHealthy() {
    return relister == null || relister.healthy();
  }

  /** Pods with a ready sandbox at the last relist. */
  public synchronized long runningPods() {
    return relister == null ? 0 : relister.lastSnapshot().runningPods();
  }

  /** Deletes the pod object now that its containers are gone; a pod already gone or replaced is fine. */
  private static void confirmDeletion(ApiClient client, Pod pod) {
    try {
      client.delete(Kinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          new DeleteOptions(0L, "", pod.getMetadata().getUid()));
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }

  /** Stops the node's tasks and unroutes its pods; waits for container kills in flight (up to 5 s). */
  @Override
  public synchronized void close() throws InterruptedException {
    shared.pods().unregister(config.nodeName());
    shared.router().unregister(config.nodeName());
    if (relister != null) {
      relister.close();
    }
    lease.close();
    status.close();
    if (probes != null) {
      probes.close();
    }
    if (worker != null) {
      worker.close();
    }
  }
}
