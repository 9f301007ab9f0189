package io.minik8s.controllermanager.replicaset;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetStatus;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.informer.Store;
import io.minik8s.client.selector.LabelSelector;
import io.minik8s.client.workqueue.Result;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import io.minik8s.controllermanager.ownership.ControllerRefs;
import io.minik8s.controllermanager.ownership.Expectations;
import io.minik8s.controllermanager.pod.PodState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code spec.replicas} active pods for each ReplicaSet, as Kubernetes' replicaset controller:
 *
 * <ul>
 *   <li>claims pods: those it controls and its selector matches are its own; matching pods without a
 *       controller are adopted (a controller reference is added); pods it controls that no longer
 *       match are released (its reference is removed);</li>
 *   <li>creates missing pods from the template ({@code generateName: <rs>-}, controller reference) and
 *       deletes surplus ones in {@link PodDeletionOrder};</li>
 *   <li>acts only when its {@link Expectations} are satisfied, so a cache lagging its own creations
 *       and deletions never makes it create or delete twice;</li>
 *   <li>writes {@code status} (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 *       observedGeneration) with updateStatus, only when it changed.</li>
 * </ul>
 *
 * <p>Thread-safety: reconcile runs for different keys at once; all shared state is in the listers
 * (thread-safe stores) and the thread-safe expectations.
 */
public final class ReplicaSetController implements Controller {
  public static final String NAME = "replicaset";
  private static final Logger log = LoggerFactory.getLogger(ReplicaSetController.class);

  private final ApiClient client;
  private final Lister<ReplicaSet> replicaSets;
  private final Lister<Pod> pods;
  private final EventRecorder events;
  private final Clock clock;
  private final Expectations expectations;

  public ReplicaSetController(ApiClient client, Lister<ReplicaSet> replicaSets, Lister<Pod> pods,
      EventRecorder events, Clock clock, Expectations expectations) {
    this.client = client;
    this.replicaSets = replicaSets;
    this.pods = pods;
    this.events = events;
    this.clock = clock;
    this.expectations = expectations;
  }

  public static ReplicaSetController create(ControllerContext c) {
    return new ReplicaSetController(c.client(), c.informers().informer(Kinds.REPLICA_SET).lister(),
        c.informers().informer(Kinds.POD).lister(), c.events(), c.clock(), new Expectations(c.clock()));
  }

  @Override
  public String name() {
    return NAME;
  }

  public Expectations expectations() {
    return expectations;
  }

  @Override
  public void register(ControllerContext context) {
    WorkQueue<String> queue = context.queue();
    context.informers().informer(Kinds.REPLICA_SET).addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ReplicaSet rs) {
        queue.add(Store.keyOf(rs));
      }

      @Override
      public void onUpdate(ReplicaSet old, ReplicaSet rs) {
        queue.add(Store.keyOf(rs));
      }

      @Override
      public void onDelete(ReplicaSet rs) {
        expectations.forget(Store.keyOf(rs));
        queue.add(Store.keyOf(rs));
      }
    });
    context.informers().informer(Kinds.POD).addEventHandler(podEventHandler(queue));
  }

  /** The pod handler {@link #register} adds (for tests, which feed it directly). */
  ResourceEventHandler<Pod> podEventHandler(WorkQueue<String> queue) {
    return new PodHandler(queue);
  }

  /** Maps pod changes to the ReplicaSets to reconcile, and tells the expectations what it saw. */
  final class PodHandler implements ResourceEventHandler<Pod> {
    private final WorkQueue<String> queue;

    PodHandler(WorkQueue<String> queue) {
      this.queue = queue;
    }

    @Override
    public void onAdd(Pod pod) {
      if (pod.getMetadata().hasDeletionTimestamp()) {
        onDelete(pod);
        return;
      }
      Optional<String> owner = ownerKey(pod.getMetadata());
      if (owner.isPresent()) {
        expectations.creationObserved(owner.get());
        queue.add(owner.get());
      } else {
        matchingReplicaSets(pod).forEach(queue::add);
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      if (pod.getMetadata().hasDeletionTimestamp() && !old.getMetadata().hasDeletionTimestamp()) {
        onDelete(pod);
      }
      Optional<String> oldOwner = ownerKey(old.getMetadata());
      Optional<String> owner = ownerKey(pod.getMetadata());
      if (oldOwner.isPresent() && !oldOwner.equals(owner)) {
        queue.add(oldOwner.get());
      }
      if (owner.isPresent()) {
        queue.add(owner.get());
        int minReady = replicaSets.get(owner.get()).map(r -> r.getSpec().getMinReadySeconds()).orElse(0);
        if (minReady > 0 && !PodState.isReady(old) && PodState.isReady(pod)) {
          // Becomes available minReadySeconds from now, with no event to say so.
          queue.addAfter(owner.get(), Duration.ofSeconds(minReady).plusSeconds(1));
        }
      } else if (!old.getMetadata().getLabelsMap().equals(pod.getMetadata().getLabelsMap()) || oldOwner.isPresent()) {
        matchingReplicaSets(pod).forEach(queue::add);
      }
    }

    @Override
    public void onDelete(Pod pod) {
      ownerKey(pod.getMetadata()).ifPresent(owner -> {
        expectations.deletionObserved(owner, Store.keyOf(pod));
        queue.add(owner);
      });
    }

    private Optional<String> ownerKey(ObjectMeta meta) {
      return ControllerRefs.controllerOf(meta).filter(r -> r.getKind().equals(Kinds.REPLICA_SET.kind()))
          .flatMap(r -> replicaSets.get(meta.getNamespace(), r.getName())
              .filter(rs -> rs.getMetadata().getUid().equals(r.getUid())))
          .map(Store::keyOf);
    }

    private List<String> matchingReplicaSets(Pod pod) {
      List<String> keys = new ArrayList<>();
      for (ReplicaSet rs : replicaSets.listInNamespace(pod.getMetadata().getNamespace())) {
        LabelSelector s = LabelSelector.from(rs.getSpec().getSelector());
        if (!s.isEmpty() && s.matches(pod.getMetadata().getLabelsMap())) {
          keys.add(Store.keyOf(rs));
        }
      }
      return keys;
    }
  }

  @Override
  public Result reconcile(String key) {
    Optional<ReplicaSet> found = replicaSets.get(key);
    if (found.isEmpty()) {
      expectations.forget(key);
      return Result.done();
    }
    ReplicaSet rs = found.get();
    LabelSelector selector = LabelSelector.from(rs.getSpec().getSelector());
    boolean needsSync = expectations.satisfied(key);
    List<Pod> owned = claimPods(rs, selector);
    if (needsSync && !rs.getMetadata().hasDeletionTimestamp()) {
      manageReplicas(key, rs, owned);
    }
    Instant now = clock.instant();
    ReplicaSetStatus status = calculateStatus(rs, owned, now);
    if (!status.equals(rs.getStatus())) {
      client.updateStatus(rs.toBuilder().setStatus(status).build());
    }
    int minReady = rs.getSpec().getMinReadySeconds();
    if (minReady > 0 && status.getReadyReplicas() != status.getAvailableReplicas()
        && status.getReplicas() == replicas(rs)) {
      return Result.requeueAfter(Duration.ofSeconds(minReady));
    }
    return Result.done();
  }

  /** The active pods this ReplicaSet owns after adopting matching orphans and releasing non-matching ones. */
  private List<Pod> claimPods(ReplicaSet rs, LabelSelector selector) {
    String uid = rs.getMetadata().getUid();
    boolean deleting = rs.getMetadata().hasDeletionTimestamp();
    List<Pod> owned = new ArrayList<>();
    for (Pod pod : pods.listInNamespace(rs.getMetadata().getNamespace())) {
      if (!PodState.isActive(pod)) {
        continue;
      }
      Optional<OwnerReference> ref = ControllerRefs.controllerOf(pod.getMetadata());
      boolean matches = !selector.isEmpty() && selector.matches(pod.getMetadata().getLabelsMap());
      if (ref.isPresent()) {
        if (!ref.get().getUid().equals(uid)) {
          continue;
        }
        if (matches) {
          owned.add(pod);
        } else if (!deleting) {
          release(rs, pod);
        }
      } else if (matches && !deleting) {
        adopt(rs, pod).ifPresent(owned::add);
      }
    }
    return owned;
  }

  private Optional<Pod> adopt(ReplicaSet rs, Pod pod) {
    try {
      Pod adopted = client.update(pod.toBuilder().setMetadata(ControllerRefs.withControllerRef(pod.getMetadata(),
          ControllerRefs.to(Kinds.REPLICA_SET, rs))).build());
      log.atInfo().addKeyValue("replicaset", Store.keyOf(rs)).addKeyValue("pod", pod.getMetadata().getName())
          .log("adopted pod");
      return Optional.of(adopted);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void release(ReplicaSet rs, Pod pod) {
    try {
      client.update(pod.toBuilder().setMetadata(ControllerRefs.withoutOwner(pod.getMetadata(),
          rs.getMetadata().getUid())).build());
      log.atInfo().addKeyValue("replicaset", Store.keyOf(rs)).addKeyValue("pod", pod.getMetadata().getName())
          .log("released pod");
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  static int replicas(ReplicaSet rs) {
    return rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
  }

  private void manageReplicas(String key, ReplicaSet rs, List<Pod> owned) {
    int diff = owned.size() - replicas(rs);
    if (diff < 0) {
      createPods(key, rs, -diff);
    } else if (diff > 0) {
      List<Pod> ranked = new ArrayList<>(owned);
      ranked.sort(PodDeletionOrder.INSTANCE);
      deletePods(key, rs, ranked.subList(0, diff));
    }
  }

  private void createPods(String key, ReplicaSet rs, int count) {
    expectations.expectCreations(key, count);
    for (int i = 0; i < count; i++) {
      Pod created;
      try {
        created = client.create(podFromTemplate(rs));
      } catch (ApiException e) {
        // The ones not created will never be observed.
        for (int j = i; j < count; j++) {
          expectations.creationObserved(key);
        }
        events.record(rs, EventRecorder.WARNING, "FailedCreate", "Create", "Error creating: " + e.getMessage());
        throw e;
      }
      events.record(rs, EventRecorder.NORMAL, "SuccessfulCreate", "Create",
          "Created pod: " + created.getMetadata().getName());
    }
  }

  private void deletePods(String key, ReplicaSet rs, List<Pod> victims) {
    Set<String> keys = new LinkedHashSet<>();
    victims.forEach(p -> keys.add(Store.keyOf(p)));
    expectations.expectDeletions(key, keys);
    for (Pod pod : victims) {
      try {
        client.delete(Kinds.POD, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      } catch (ApiException e) {
        expectations.deletionObserved(key, Store.keyOf(pod));
        if (e.isNotFound()) {
          continue;
        }
        events.record(rs, EventRecorder.WARNING, "FailedDelete", "Delete", "Error deleting: " + e.getMessage());
        throw e;
      }
      events.record(rs, EventRecorder.NORMAL, "SuccessfulDelete", "Delete",
          "Deleted pod: " + pod.getMetadata().getName());
    }
  }

  /** A new pod for {@code rs}: its template, named {@code <rs>-<random>} by the API server. */
  static Pod podFromTemplate(ReplicaSet rs) {
    PodTemplateSpec t = rs.getSpec().getTemplate();
    ObjectMeta.Builder meta = ObjectMeta.newBuilder().setGenerateName(rs.getMetadata().getName() + "-")
        .setNamespace(rs.getMetadata().getNamespace()).putAllLabels(t.getMetadata().getLabelsMap())
        .putAllAnnotations(t.getMetadata().getAnnotationsMap())
        .addOwnerReferences(ControllerRefs.to(Kinds.REPLICA_SET, rs));
    return Pod.newBuilder().setMetadata(meta).setSpec(t.getSpec()).build();
  }

  private static ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> owned, Instant now) {
    Map<String, String> templateLabels = rs.getSpec().getTemplate().getMetadata().getLabelsMap();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : owned) {
      if (p.getMetadata().getLabelsMap().entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (PodState.isReady(p)) {
        ready++;
        if (PodState.isAvailable(p, rs.getSpec().getMinReadySeconds(), now)) {
          available++;
        }
      }
    }
    return rs.getStatus().toBuilder().setReplicas(owned.size()).setFullyLabeledReplicas(fullyLabeled)
        .setReadyReplicas(ready).setAvailableReplicas(available)
        .setObservedGeneration(rs.getMetadata().getGeneration()).build();
  }
}
