package io.minik8s.kubelet.probe;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.runtime.RuntimeContainer;
import io.minik8s.kubelet.runtime.RuntimePod;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup, readiness and liveness probes of running containers, each every
 * {@code periodSeconds} after {@code initialDelaySeconds}, and keeps their verdicts: a verdict changes
 * after {@code successThreshold} successes or {@code failureThreshold} failures in a row
 * ({@link ProbeThresholds}). Readiness starts false; liveness starts passing. When a verdict changes,
 * the pod is handed to {@code onChange} (the pod work queue), whose sync then reports readiness or kills
 * a container that failed liveness or startup.
 *
 * <p>A container with a startup probe gets only that one until it succeeds ({@link ProbeKind#active}):
 * its success marks the container started, wakes the pod, and the pod's next {@link #sync} starts the
 * readiness and liveness probes; the startup probe never runs again for that container. Its failure
 * ({@code failureThreshold} in a row) is reported like a liveness failure: the container is restarted.
 *
 * <p>Pod workers call {@link #sync} after every sync: probing follows the newest running container
 * of each name, so a restarted container gets fresh probes and fresh verdicts. Thread-safe; probes run
 * on two shared threads.
 */
public final class ProbeManager implements PodProbes, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);

  private record Key(String podUid, String containerId, ProbeKind kind) {}

  private final Prober prober;
  private final Consumer<String> onChange;
  private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "prober");
    t.setDaemon(true);
    return t;
  });
  private final Map<Key, ScheduledFuture<?>> workers = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private final Set<String> livenessFailed = ConcurrentHashMap.newKeySet();
  /** Containers whose startup probe succeeded → their pod's uid (kept while the container runs). */
  private final Map<String, String> started = new ConcurrentHashMap<>();
  private final Set<String> startupFailed = ConcurrentHashMap.newKeySet();

  public ProbeManager(ContainerRuntime runtime, Consumer<String> onChange) {
    this.prober = new Prober(runtime);
    this.onChange = onChange;
  }

  @Override
  public Optional<Boolean> readiness(String containerId) {
    return Optional.ofNullable(ready.get(containerId));
  }

  @Override
  public boolean livenessFailed(String containerId) {
    return livenessFailed.contains(containerId);
  }

  @Override
  public boolean started(String containerId) {
    return started.containsKey(containerId);
  }

  @Override
  public boolean startupFailed(String containerId) {
    return startupFailed.contains(containerId);
  }

  @Override
  public synchronized void sync(Pod pod, RuntimePod actual) {
    String uid = pod.getMetadata().getUid();
    String podIp = actual.latestSandbox().filter(SandboxInfo::ready).map(SandboxInfo::ip).orElse("");
    Set<Key> wanted = new HashSet<>();
    Set<String> running = new HashSet<>();
    if (!pod.getMetadata().hasDeletionTimestamp()) {
      for (Container c : pod.getSpec().getContainersList()) {
        Optional<RuntimeContainer> latest = actual.latest(c.getName()).filter(RuntimeContainer::running);
        if (latest.isEmpty()) {
          continue;
        }
        String id = latest.get().id();
        running.add(id);
        for (ProbeKind kind : ProbeKind.active(c, started.containsKey(id))) {
          wanted.add(start(new Key(uid, id, kind), kind.probeOf(c), c, latest.get(), podIp));
        }
      }
    }
    for (Key k : Set.copyOf(workers.keySet())) {
      if (k.podUid().equals(uid) && !wanted.contains(k)) {
        stop(k);
      }
    }
    started.entrySet().removeIf(e -> e.getValue().equals(uid) && !running.contains(e.getKey()));
  }

  @Override
  public synchronized void forget(String podUid) {
    for (Key k : Set.copyOf(workers.keySet())) {
      if (k.podUid().equals(podUid)) {
        stop(k);
      }
    }
    started.values().removeIf(podUid::equals);
  }

  private Key start(Key key, Probe probe, Container c, RuntimeContainer container, String podIp) {
    if (workers.containsKey(key)) {
      return key;
    }
    Instant started = Optional.ofNullable(container.status().startedAt()).orElse(Instant.now());
    ProbeWorker worker = new ProbeWorker(key, probe, c, podIp, started.plusSeconds(probe.getInitialDelaySeconds()));
    long period = Math.max(1, probe.getPeriodSeconds()) * 1000L;
    workers.put(key, threads.scheduleWithFixedDelay(worker, 0, period, TimeUnit.MILLISECONDS));
    return key;
  }

  private void stop(Key k) {
    ScheduledFuture<?> f = workers.remove(k);
    if (f != null) {
      f.cancel(false);
    }
    switch (k.kind()) {
      case READINESS -> ready.remove(k.containerId());
      case LIVENESS -> livenessFailed.remove(k.containerId());
      // A success stays in "started" (the startup worker stops because of it); a failure goes with the worker.
      case STARTUP -> startupFailed.remove(k.containerId());
    }
  }

  /** One probe of one container; consecutive results are counted toward the thresholds. */
  private final class ProbeWorker implements Runnable {
    private final Key key;
    private final Probe probe;
    private final Container container;
    private final String podIp;
    private final Instant firstProbe;
    private final ProbeThresholds thresholds;

    ProbeWorker(Key key, Probe probe, Container container, String podIp, Instant firstProbe) {
      this.key = key;
      this.probe = probe;
      this.container = container;
      this.podIp = podIp;
      this.firstProbe = firstProbe;
      this.thresholds = ProbeThresholds.of(probe);
    }

    @Override
    public void run() {
      if (Instant.now().isBefore(firstProbe) || !workers.containsKey(key)) {
        return;
      }
      String id = key.containerId();
      if (key.kind() == ProbeKind.STARTUP && started.containsKey(id)) {
        return; // succeeded; the pod's next sync stops this worker
      }
      Prober.Outcome outcome = prober.run(probe, container, id, podIp);
      Optional<Boolean> verdict = thresholds.record(outcome.success());
      if (verdict.isEmpty()) {
        return;
      }
      boolean changed = false;
      switch (key.kind()) {
        case READINESS -> {
          Boolean before = ready.put(id, verdict.get());
          // The first "not ready" changes nothing: readiness starts false.
          changed = !verdict.get().equals(before) && (verdict.get() || before != null);
        }
        case LIVENESS -> {
          if (!verdict.get() && livenessFailed.add(id)) {
            log.atInfo().addKeyValue("container", container.getName()).addKeyValue("id", id)
                .addKeyValue("reason", outcome.message()).log("liveness probe failed");
            changed = true;
          }
        }
        case STARTUP -> {
          if (verdict.get()) {
            if (!workers.containsKey(key)) {
              return; // stopped meanwhile: the container is gone
            }
            started.put(id, key.podUid());
            log.atDebug().addKeyValue("container", container.getName()).addKeyValue("id", id)
                .log("startup probe succeeded");
            changed = true;
          } else if (startupFailed.add(id)) {
            log.atInfo().addKeyValue("container", container.getName()).addKeyValue("id", id)
                .addKeyValue("reason", outcome.message()).log("startup probe failed");
            changed = true;
          }
        }
      }
      if (changed && workers.containsKey(key)) {
        onChange.accept(key.podUid());
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
