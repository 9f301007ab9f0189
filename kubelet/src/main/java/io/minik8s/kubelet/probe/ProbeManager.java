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
 * Runs the readiness and liveness probes of running containers, each every {@code periodSeconds}
 * after {@code initialDelaySeconds}, and keeps their verdicts: a verdict changes after
 * {@code successThreshold} successes or {@code failureThreshold} failures in a row. Readiness starts
 * false; liveness starts passing. When a verdict changes, the pod is handed to {@code onChange} (the
 * pod work queue), whose sync then reports readiness or kills a container that failed liveness.
 *
 * <p>Pod workers call {@link #sync} after every sync: probing follows the newest running container
 * of each name, so a restarted container gets fresh probes and fresh verdicts. Thread-safe; probes run
 * on two shared threads.
 */
public final class ProbeManager implements PodProbes, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);

  enum Kind { READINESS, LIVENESS }

  private record Key(String podUid, String containerId, Kind kind) {}

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
  public synchronized void sync(Pod pod, RuntimePod actual) {
    String uid = pod.getMetadata().getUid();
    String podIp = actual.latestSandbox().filter(SandboxInfo::ready).map(SandboxInfo::ip).orElse("");
    Set<Key> wanted = new HashSet<>();
    if (!pod.getMetadata().hasDeletionTimestamp()) {
      for (Container c : pod.getSpec().getContainersList()) {
        Optional<RuntimeContainer> latest = actual.latest(c.getName()).filter(RuntimeContainer::running);
        if (latest.isEmpty()) {
          continue;
        }
        if (c.hasReadinessProbe()) {
          wanted.add(start(new Key(uid, latest.get().id(), Kind.READINESS), c.getReadinessProbe(), c, latest.get(), podIp));
        }
        if (c.hasLivenessProbe()) {
          wanted.add(start(new Key(uid, latest.get().id(), Kind.LIVENESS), c.getLivenessProbe(), c, latest.get(), podIp));
        }
      }
    }
    for (Key k : Set.copyOf(workers.keySet())) {
      if (k.podUid().equals(uid) && !wanted.contains(k)) {
        stop(k);
      }
    }
  }

  @Override
  public synchronized void forget(String podUid) {
    for (Key k : Set.copyOf(workers.keySet())) {
      if (k.podUid().equals(podUid)) {
        stop(k);
      }
    }
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
    if (k.kind() == Kind.READINESS) {
      ready.remove(k.containerId());
    } else {
      livenessFailed.remove(k.containerId());
    }
  }

  /** One probe of one container; consecutive results are counted toward the thresholds. */
  private final class ProbeWorker implements Runnable {
    private final Key key;
    private final Probe probe;
    private final Container container;
    private final String podIp;
    private final Instant firstProbe;
    private int successes;
    private int failures;

    ProbeWorker(Key key, Probe probe, Container container, String podIp, Instant firstProbe) {
      this.key = key;
      this.probe = probe;
      this.container = container;
      this.podIp = podIp;
      this.firstProbe = firstProbe;
    }

    @Override
    public void run() {
      if (Instant.now().isBefore(firstProbe) || !workers.containsKey(key)) {
        return;
      }
      Prober.Outcome outcome = prober.run(probe, container, key.containerId(), podIp);
      if (outcome.success()) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      int successThreshold = Math.max(1, probe.getSuccessThreshold());
      int failureThreshold = Math.max(1, probe.getFailureThreshold());
      boolean changed = false;
      if (key.kind() == Kind.READINESS) {
        Boolean before = ready.get(key.containerId());
        if (successes >= successThreshold && !Boolean.TRUE.equals(before)) {
          ready.put(key.containerId(), true);
          changed = true;
        } else if (failures >= failureThreshold && !Boolean.FALSE.equals(before)) {
          ready.put(key.containerId(), false);
          changed = before != null;
        }
      } else if (failures >= failureThreshold && livenessFailed.add(key.containerId())) {
        log.atInfo().addKeyValue("container", container.getName()).addKeyValue("id", key.containerId())
            .addKeyValue("reason", outcome.message()).log("liveness probe failed");
        changed = true;
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
