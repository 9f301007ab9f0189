package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import io.minik8s.client.workqueue.Reconciler;
import io.minik8s.client.workqueue.Result;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.CriException;
import io.minik8s.kubelet.cri.SandboxInfo;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.events.EventRecorder;
import io.minik8s.kubelet.probe.PodProbes;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.runtime.RuntimePod;
import io.minik8s.kubelet.runtime.RuntimePodReader;
import io.minik8s.kubelet.status.ContainerWaiting;
import io.minik8s.kubelet.status.PodStatusCalculator;
import io.minik8s.kubelet.status.PodStatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one pod, by uid: the reconcile of the kubelet's pod work queue. Each call reads the pod from
 * the informer cache and the pod's sandboxes and containers from the runtime, has {@link PodSync} plan,
 * carries the plan out, then reports the pod's status (only if it changed) and, for a deleted pod
 * whose containers are gone, confirms the deletion to the API server.
 *
 * <p>Guarantees: never called for one uid by two threads at once (the work queue's promise), so the
 * runtime calls for one pod never interleave. A failed runtime or API call throws, and the queue
 * retries the pod with back-off; what was done before the failure is seen by the next sync, which
 * plans from the runtime's state again. Kills of several containers of one plan run in parallel, so a
 * pod's deletion takes one grace period, not one per container.
 */
public final class PodWorker implements Reconciler<String>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);

  private final Function<String, Optional<Pod>> podByUid;
  private final ContainerRuntime runtime;
  private final RuntimePodReader reader;
  private final PodSync sync;
  private final PodSpecs specs;
  private final ImagePuller images;
  private final RestartBackoff backoff;
  private final PodStatusCalculator statusCalculator;
  private final PodStatusWriter statusWriter;
  private final Consumer<Pod> confirmDeletion;
  private final PodProbes probes;
  private final EventRecorder events;
  private final Clock clock;
  private final ExecutorService killers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "container-killer");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param podByUid the pod with that uid in the informer cache
   * @param confirmDeletion deletes the pod object with grace period 0 and its uid as precondition
   */
  public PodWorker(Function<String, Optional<Pod>> podByUid, ContainerRuntime runtime, PodSpecs specs,
      RestartBackoff backoff, PodStatusCalculator statusCalculator, PodStatusWriter statusWriter,
      Consumer<Pod> confirmDeletion, PodProbes probes, EventRecorder events, Clock clock) {
    this.podByUid = podByUid;
    this.runtime = runtime;
    this.reader = new RuntimePodReader(runtime);
    this.sync = new PodSync(backoff, probes);
    this.specs = specs;
    this.images = new ImagePuller(runtime, backoff, events);
    this.backoff = backoff;
    this.statusCalculator = statusCalculator;
    this.statusWriter = statusWriter;
    this.confirmDeletion = confirmDeletion;
    this.probes = probes;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Result reconcile(String uid) {
    Optional<Pod> cached = podByUid.apply(uid);
    RuntimePod actual = reader.read(uid);
    if (cached.isEmpty()) {
      if (!actual.isEmpty()) {
        SyncPlan plan = sync.planRemoval(actual);
        log.atInfo().addKeyValue("podUid", uid).addKeyValue("sandboxes", actual.sandboxes().size())
            .addKeyValue("containers", actual.containers().size()).log("removing the pod's containers: it is no longer in the API");
        execute(null, plan, new LinkedHashMap<>());
      }
      forget(uid);
      return Result.done();
    }
    Pod pod = cached.get();
    SyncPlan plan = sync.plan(pod, actual);
    if (!plan.actions().isEmpty()) {
      log.atDebug().addKeyValue("pod", name(pod)).addKeyValue("actions", plan.actions()).log("syncing pod");
    }
    Map<String, ContainerWaiting> waiting = new LinkedHashMap<>(plan.waiting());
    plan.waiting().forEach((container, w) -> {
      if (w.reason().equals(ContainerWaiting.CRASH_LOOP_BACK_OFF)) {
        events.record(pod, container, EventRecorder.WARNING, "BackOff", "Back-off restarting failed container "
            + container + " in pod " + name(pod));
      }
    });
    Duration requeue = earlier(plan.requeueAfter(), execute(pod, plan, waiting));
    if (plan.confirmsDeletion()) {
      forget(uid);
      return Result.done();
    }
    RuntimePod after = plan.actions().isEmpty() ? actual : reader.read(uid);
    PodStatus status = statusCalculator.compute(pod, after, statusWriter.previous(pod), waiting, probes,
        clock.instant());
    if (statusWriter.write(pod, status)) {
      log.atInfo().addKeyValue("pod", name(pod)).addKeyValue("phase", status.getPhase())
          .addKeyValue("podIP", status.getPodIp()).log("pod status changed");
    }
    probes.sync(pod, after);
    return requeue != null ? Result.requeueAfter(requeue) : Result.done();
  }

  /**
   * Carries out the plan's actions in order. Container start problems (image, create, start) do not
   * stop the plan: they become the container's waiting reason. Everything else throws.
   *
   * @param pod null for a pod no longer in the API
   * @return when to sync again because of a start problem (null: no need)
   */
  private Duration execute(Pod pod, SyncPlan plan, Map<String, ContainerWaiting> waiting) {
    String sandboxId = plan.sandboxId();
    SandboxSpec sandboxSpec = null;
    Duration requeue = null;
    List<PodAction> actions = plan.actions();
    for (int i = 0; i < actions.size(); i++) {
      PodAction action = actions.get(i);
      if (action instanceof PodAction.KillContainer) {
        List<PodAction.KillContainer> kills = new ArrayList<>();
        while (i < actions.size() && actions.get(i) instanceof PodAction.KillContainer k) {
          kills.add(k);
          i++;
        }
        i--;
        kill(pod, kills);
      } else if (action instanceof PodAction.CreateSandbox create) {
        sandboxSpec = specs.sandbox(pod, create.attempt());
        sandboxId = runtime.runSandbox(sandboxSpec);
        log.atInfo().addKeyValue("pod", name(pod)).addKeyValue("sandbox", sandboxId)
            .addKeyValue("attempt", create.attempt()).log("pod sandbox created");
      } else if (action instanceof PodAction.StartContainer start) {
        if (sandboxSpec == null) {
          sandboxSpec = specs.sandbox(pod, sandboxAttempt(sandboxId));
        }
        requeue = earlier(requeue, start(pod, sandboxId, sandboxSpec, start, waiting));
      } else if (action instanceof PodAction.RemoveContainer remove) {
        runtime.removeContainer(remove.containerId());
      } else if (action instanceof PodAction.StopSandbox stop) {
        runtime.stopSandbox(stop.sandboxId());
      } else if (action instanceof PodAction.RemoveSandbox remove) {
        runtime.removeSandbox(remove.sandboxId());
      } else if (action instanceof PodAction.ConfirmDeletion) {
        confirmDeletion.accept(pod);
        log.atInfo().addKeyValue("pod", name(pod)).log("pod deleted: its containers are gone");
      }
    }
    return requeue;
  }

  private Duration start(Pod pod, String sandboxId, SandboxSpec sandboxSpec, PodAction.StartContainer start,
      Map<String, ContainerWaiting> waiting) {
    Container c = start.container();
    ImagePuller.Outcome image = images.ensure(pod, c);
    if (!image.ready()) {
      waiting.put(c.getName(), image.waiting());
      return image.retryAfter();
    }
    String key = PodSync.backoffKey(pod.getMetadata().getUid(), c.getName());
    if (start.restart()) {
      backoff.next(key);
    }
    String id;
    try {
      id = runtime.createContainer(sandboxId, specs.container(pod, c, start.attempt()), sandboxSpec);
    } catch (CriException e) {
      if (e.code() == CriException.Code.UNAVAILABLE) {
        throw e;
      }
      return startFailed(pod, c, key, ContainerWaiting.CREATE_CONTAINER_ERROR, e, waiting);
    }
    events.record(pod, c.getName(), EventRecorder.NORMAL, "Created", "Created container " + c.getName());
    try {
      runtime.startContainer(id);
    } catch (CriException e) {
      if (e.code() == CriException.Code.UNAVAILABLE) {
        throw e;
      }
      return startFailed(pod, c, key, ContainerWaiting.RUN_CONTAINER_ERROR, e, waiting);
    }
    events.record(pod, c.getName(), EventRecorder.NORMAL, "Started", "Started container " + c.getName());
    log.atInfo().addKeyValue("pod", name(pod)).addKeyValue("container", c.getName()).addKeyValue("id", id)
        .addKeyValue("restartCount", start.attempt()).log("container started");
    return null;
  }

  private Duration startFailed(Pod pod, Container c, String key, String reason, CriException e,
      Map<String, ContainerWaiting> waiting) {
    Duration next = backoff.current(key).orElseGet(() -> backoff.next(key));
    waiting.put(c.getName(), new ContainerWaiting(reason, e.getMessage()));
    events.record(pod, c.getName(), EventRecorder.WARNING, "Failed", "Error: " + e.getMessage());
    log.atWarn().addKeyValue("pod", name(pod)).addKeyValue("container", c.getName())
        .addKeyValue("reason", reason).addKeyValue("error", e.getMessage()).log("container did not start");
    return next;
  }

  private void kill(Pod pod, List<PodAction.KillContainer> kills) {
    List<Future<?>> running = new ArrayList<>();
    for (PodAction.KillContainer k : kills) {
      if (pod != null) {
        events.record(pod, k.name(), EventRecorder.NORMAL, "Killing", "Stopping container " + k.name()
            + (k.reason().isEmpty() ? "" : ": " + k.reason()));
      }
      log.atInfo().addKeyValue("pod", name(pod)).addKeyValue("container", k.name())
          .addKeyValue("gracePeriod", k.gracePeriodSeconds()).addKeyValue("reason", k.reason()).log("stopping container");
      running.add(killers.submit(() -> runtime.stopContainer(k.containerId(), k.gracePeriodSeconds())));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping containers", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  private int sandboxAttempt(String sandboxId) {
    return runtime.sandboxStatus(sandboxId).map(SandboxInfo::attempt).orElse(0);
  }

  private void forget(String uid) {
    backoff.resetAll(uid + "/");
    statusWriter.forget(uid);
    probes.forget(uid);
  }

  private static String name(Pod pod) {
    return pod == null ? "(gone)" : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static Duration earlier(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() throws InterruptedException {
    killers.shutdown();
    killers.awaitTermination(5, TimeUnit.SECONDS);
  }
}
