package io.minik8s.controllermanager.deployment;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.informer.Store;
import io.minik8s.client.workqueue.Result;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import io.minik8s.controllermanager.ownership.ControllerRefs;
import io.minik8s.controllermanager.pod.PodState;
import io.minik8s.controllermanager.deployment.RollingUpdateMath.OldSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rolls Deployments out through ReplicaSets, as Kubernetes' deployment controller:
 *
 * <ul>
 *   <li>one ReplicaSet per pod template, {@code <deployment>-<hash>} ({@link PodTemplateHash}), whose
 *       selector, template and pods carry the {@code pod-template-hash} label; the one whose template is
 *       the Deployment's is the new one, the others are old;</li>
 *   <li>revisions: the new ReplicaSet gets {@code deployment.kubernetes.io/revision} = 1 + the highest
 *       old one, also written on the Deployment; putting an old template back (rollback) makes that
 *       old ReplicaSet the new one with the next revision;</li>
 *   <li>{@code RollingUpdate}: the new ReplicaSet grows within maxSurge and old ones shrink within
 *       maxUnavailable ({@link RollingUpdateMath}); {@code Recreate}: old ones go to 0, and once
 *       their pods are gone the new one scales up;</li>
 *   <li>paused: no new ReplicaSet and no rollout step, only status;</li>
 *   <li>after a complete rollout, old ReplicaSets at 0 beyond {@code revisionHistoryLimit} are deleted,
 *       oldest first;</li>
 *   <li>status: replicas, updated/ready/available/unavailable replicas, observedGeneration, and the
 *       Available and Progressing conditions (with ProgressDeadlineExceeded after
 *       progressDeadlineSeconds without progress), written only when changed.</li>
 * </ul>
 *
 * <p>Each reconcile takes at most one step and relies on the ReplicaSet informer's events for the next.
 * Thread-safety: no state of its own; reconcile runs for different keys at once.
 */
public final class DeploymentController implements Controller {
  public static final String NAME = "deployment";
  public static final String REVISION = "deployment.kubernetes.io/revision";
  /** The revisions a ReplicaSet had before its template was rolled back to. */
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";

  private final ApiClient client;
  private final Lister<Deployment> deployments;
  private final Lister<ReplicaSet> replicaSets;
  private final EventRecorder events;
  private final Clock clock;

  public DeploymentController(ApiClient client, Lister<Deployment> deployments, Lister<ReplicaSet> replicaSets,
      EventRecorder events, Clock clock) {
    this.client = client;
    this.deployments = deployments;
    this.replicaSets = replicaSets;
    this.events = events;
    this.clock = clock;
  }

  public static DeploymentController create(ControllerContext c) {
    return new DeploymentController(c.client(), c.informers().informer(Kinds.DEPLOYMENT).lister(),
        c.informers().informer(Kinds.REPLICA_SET).lister(), c.events(), c.clock());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {
    WorkQueue<String> queue = context.queue();
    context.informers().informer(Kinds.DEPLOYMENT)
        .addEventHandler(ResourceEventHandler.onChange(d -> queue.add(Store.keyOf(d))));
    context.informers().informer(Kinds.REPLICA_SET)
        .addEventHandler(ResourceEventHandler.onChange(rs -> ownerKeys(rs).forEach(queue::add)));
  }

  /** The Deployment controlling {@code rs}, or, for an orphan, every Deployment whose selector matches it. */
  List<String> ownerKeys(ReplicaSet rs) {
    ObjectMeta m = rs.getMetadata();
    var ref = ControllerRefs.controllerOf(m);
    if (ref.isPresent()) {
      if (!ref.get().getKind().equals(Kinds.DEPLOYMENT.kind())) {
        return List.of();
      }
      return deployments.get(m.getNamespace(), ref.get().getName())
          .filter(d -> d.getMetadata().getUid().equals(ref.get().getUid())).map(d -> List.of(Store.keyOf(d)))
          .orElse(List.of());
    }
    List<String> keys = new ArrayList<>();
    for (Deployment d : deployments.listInNamespace(m.getNamespace())) {
      var s = io.minik8s.client.selector.LabelSelector.from(d.getSpec().getSelector());
      if (!s.isEmpty() && s.matches(m.getLabelsMap())) {
        keys.add(Store.keyOf(d));
      }
    }
    return keys;
  }

  @Override
  public Result reconcile(String key) {
    Optional<Deployment> found = deployments.get(key);
    if (found.isEmpty()) {
      return Result.done();
    }
    Deployment d = found.get();
    List<ReplicaSet> owned = claimReplicaSets(d);
    if (d.getMetadata().hasDeletionTimestamp()) {
      return syncStatus(d, owned, findNew(d, owned), false);
    }
    Optional<ReplicaSet> newRs = findNew(d, owned);
    List<ReplicaSet> olds = new ArrayList<>(owned);
    newRs.ifPresent(n -> olds.removeIf(r -> r.getMetadata().getUid().equals(n.getMetadata().getUid())));
    olds.sort(Comparator.comparing((ReplicaSet r) -> PodState.instant(r.getMetadata().getCreationTimestamp()))
        .thenComparing(r -> r.getMetadata().getName()));
    if (d.getSpec().getPaused()) {
      return syncStatus(d, owned, newRs, false);
    }

    int desiredRevision = olds.stream().mapToInt(DeploymentController::revision).max().orElse(0) + 1;
    boolean progressed = false;
    if (newRs.isPresent() && revision(newRs.get()) < desiredRevision) {
      // A template put back (rollback): its ReplicaSet becomes the newest revision.
      newRs = Optional.of(client.update(withRevision(newRs.get(), desiredRevision)));
      progressed = true;
    }
    if (!Integer.toString(desiredRevision).equals(d.getMetadata().getAnnotationsOrDefault(REVISION, ""))
        && (newRs.isPresent() || !isRecreate(d) || olds.stream().allMatch(r -> r.getStatus().getReplicas() == 0))) {
      d = client.update(d.toBuilder().setMetadata(d.getMetadata().toBuilder()
          .putAnnotations(REVISION, Integer.toString(desiredRevision))).build());
    }

    int replicas = replicas(d.getSpec());
    if (isRecreate(d)) {
      progressed |= recreate(d, olds, newRs, desiredRevision);
    } else {
      progressed |= rollingUpdate(d, olds, newRs, desiredRevision, replicas);
    }
    if (newRs.isPresent() && complete(d, newRs.get(), owned)) {
      cleanUp(d, olds);
    }
    return syncStatus(d, owned, newRs, progressed);
  }

  private static boolean isRecreate(Deployment d) {
    return d.getSpec().getStrategy().getType().equals("Recreate");
  }

  static int replicas(DeploymentSpec spec) {
    return spec.hasReplicas() ? spec.getReplicas() : 1;
  }

  static int revision(ReplicaSet rs) {
    try {
      return Integer.parseInt(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int size(ReplicaSet rs) {
    return rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
  }

  /** The ReplicaSets this Deployment controls, after adopting orphans its selector matches. */
  private List<ReplicaSet> claimReplicaSets(Deployment d) {
    String uid = d.getMetadata().getUid();
    var selector = io.minik8s.client.selector.LabelSelector.from(d.getSpec().getSelector());
    List<ReplicaSet> owned = new ArrayList<>();
    for (ReplicaSet rs : replicaSets.listInNamespace(d.getMetadata().getNamespace())) {
      var ref = ControllerRefs.controllerOf(rs.getMetadata());
      if (ref.isPresent()) {
        if (ref.get().getUid().equals(uid)) {
          owned.add(rs);
        }
      } else if (!d.getMetadata().hasDeletionTimestamp() && !selector.isEmpty()
          && selector.matches(rs.getMetadata().getLabelsMap())) {
        try {
          owned.add(client.update(rs.toBuilder().setMetadata(ControllerRefs.withControllerRef(rs.getMetadata(),
              ControllerRefs.to(Kinds.DEPLOYMENT, d))).build()));
        } catch (ApiException e) {
          if (!e.isNotFound()) {
            throw e;
          }
        }
      }
    }
    return owned;
  }

  /** The ReplicaSet whose template is the Deployment's (ignoring the hash label); the oldest if several. */
  private static Optional<ReplicaSet> findNew(Deployment d, List<ReplicaSet> owned) {
    PodTemplateSpec wanted = PodTemplates.canonical(d.getSpec().getTemplate());
    return owned.stream().filter(rs -> PodTemplates.canonical(rs.getSpec().getTemplate()).equals(wanted))
        .min(Comparator.comparing((ReplicaSet r) -> PodState.instant(r.getMetadata().getCreationTimestamp())));
  }

  /**
   * The ReplicaSet at a new revision; as Kubernetes does, the revision it had is appended to
   * {@code deployment.kubernetes.io/revision-history} (comma-separated, oldest first).
   */
  static ReplicaSet withRevision(ReplicaSet rs, int revision) {
    ObjectMeta.Builder meta = rs.getMetadata().toBuilder().putAnnotations(REVISION, Integer.toString(revision));
    String old = rs.getMetadata().getAnnotationsOrDefault(REVISION, "");
    if (!old.isEmpty() && !old.equals(Integer.toString(revision))) {
      String history = rs.getMetadata().getAnnotationsOrDefault(REVISION_HISTORY, "");
      meta.putAnnotations(REVISION_HISTORY, history.isEmpty() ? old : history + "," + old);
    }
    return rs.toBuilder().setMetadata(meta).build();
  }

  /** Creates the new ReplicaSet with {@code size} replicas (or finds it, if the cache had not shown it yet). */
  private ReplicaSet createNew(Deployment d, int revision, int size) {
    String hash = PodTemplateHash.of(d.getSpec().getTemplate());
    PodTemplateSpec t = d.getSpec().getTemplate();
    PodTemplateSpec template = t.toBuilder()
        .setMetadata(t.getMetadata().toBuilder().putLabels(PodTemplateHash.LABEL, hash)).build();
    LabelSelector selector = d.getSpec().getSelector().toBuilder().putMatchLabels(PodTemplateHash.LABEL, hash).build();
    ReplicaSet rs = ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(d.getMetadata().getNamespace())
            .setName(d.getMetadata().getName() + "-" + hash)
            .putAllLabels(template.getMetadata().getLabelsMap())
            .putAnnotations(REVISION, Integer.toString(revision))
            .addOwnerReferences(ControllerRefs.to(Kinds.DEPLOYMENT, d)))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(size).setMinReadySeconds(d.getSpec().getMinReadySeconds())
            .setSelector(selector).setTemplate(template))
        .build();
    try {
      ReplicaSet created = client.create(rs);
      events.record(d, EventRecorder.NORMAL, "ScalingReplicaSet", "Scale",
          "Scaled up replica set " + created.getMetadata().getName() + " to " + size);
      return created;
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
      ReplicaSet existing = client.get(Kinds.REPLICA_SET, d.getMetadata().getNamespace(), rs.getMetadata().getName());
      if (ControllerRefs.isControlledBy(existing.getMetadata(), d.getMetadata().getUid())
          && PodTemplates.sameTemplate(existing.getSpec().getTemplate(), t)) {
        return existing; // ours, not yet in the cache
      }
      throw new IllegalStateException("ReplicaSet " + rs.getMetadata().getName()
          + " exists and is not this Deployment's (hash collision); collisionCount is not supported");
    }
  }

  private boolean scale(Deployment d, ReplicaSet rs, int size) {
    if (size(rs) == size) {
      return false;
    }
    int from = size(rs);
    client.update(rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(size)).build());
    events.record(d, EventRecorder.NORMAL, "ScalingReplicaSet", "Scale",
        "Scaled " + (size > from ? "up" : "down") + " replica set " + rs.getMetadata().getName() + " from " + from
            + " to " + size);
    return true;
  }

  private boolean rollingUpdate(Deployment d, List<ReplicaSet> olds, Optional<ReplicaSet> newRs, int revision,
      int replicas) {
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surgeSpec = ru.hasMaxSurge() ? ru.getMaxSurge() : IntOrString.newBuilder().setStrVal("25%").build();
    IntOrString unavailableSpec = ru.hasMaxUnavailable() ? ru.getMaxUnavailable()
        : IntOrString.newBuilder().setStrVal("25%").build();
    int[] f = RollingUpdateMath.fenceposts(surgeSpec, unavailableSpec, replicas);
    int oldPods = olds.stream().mapToInt(DeploymentController::size).sum();

    // Scale up the new ReplicaSet (creating it) within maxSurge.
    int newSize = newRs.map(DeploymentController::size).orElse(0);
    int target = oldPods == 0 ? replicas : RollingUpdateMath.newReplicaSetSize(replicas, f[0], oldPods + newSize, newSize);
    if (newRs.isEmpty()) {
      createNew(d, revision, target);
      return true; // the next step waits for the informer to show it
    }
    if (target != newSize) {
      return scale(d, newRs.get(), target);
    }
    if (oldPods == 0) {
      return false;
    }
    // Scale old ones down within maxUnavailable.
    ReplicaSet n = newRs.get();
    int newUnavailable = Math.max(0, size(n) - n.getStatus().getAvailableReplicas());
    int maxScaledDown = RollingUpdateMath.maxScaledDown(replicas, f[1], oldPods + size(n), newUnavailable);
    List<OldSet> sets = olds.stream().map(r -> new OldSet(size(r), r.getStatus().getAvailableReplicas())).toList();
    int[] sizes = RollingUpdateMath.scaleDownOld(sets, replicas, f[1], maxScaledDown,
        n.getStatus().getAvailableReplicas());
    boolean changed = false;
    for (int i = 0; i < olds.size(); i++) {
      changed |= scale(d, olds.get(i), sizes[i]);
    }
    return changed;
  }

  private boolean recreate(Deployment d, List<ReplicaSet> olds, Optional<ReplicaSet> newRs, int revision) {
    boolean changed = false;
    for (ReplicaSet r : olds) {
      changed |= scale(d, r, 0);
    }
    if (changed || olds.stream().anyMatch(r -> r.getStatus().getReplicas() > 0)) {
      return changed; // wait until the old pods are gone
    }
    int replicas = replicas(d.getSpec());
    if (newRs.isEmpty()) {
      createNew(d, revision, replicas);
      return true;
    }
    return scale(d, newRs.get(), replicas);
  }

  private static boolean complete(Deployment d, ReplicaSet newRs, List<ReplicaSet> owned) {
    int replicas = replicas(d.getSpec());
    int total = owned.stream().mapToInt(r -> r.getStatus().getReplicas()).sum();
    return size(newRs) == replicas && newRs.getStatus().getReplicas() == replicas
        && newRs.getStatus().getAvailableReplicas() == replicas && total == replicas;
  }

  /** Deletes old ReplicaSets at 0 beyond revisionHistoryLimit, oldest first. */
  private void cleanUp(Deployment d, List<ReplicaSet> oldsOldestFirst) {
    int limit = d.getSpec().hasRevisionHistoryLimit() ? d.getSpec().getRevisionHistoryLimit() : 10;
    List<ReplicaSet> idle = oldsOldestFirst.stream()
        .filter(r -> size(r) == 0 && r.getStatus().getReplicas() == 0 && !r.getMetadata().hasDeletionTimestamp())
        .toList();
    for (int i = 0; i < idle.size() - limit; i++) {
      ReplicaSet r = idle.get(i);
      try {
        client.delete(Kinds.REPLICA_SET, r.getMetadata().getNamespace(), r.getMetadata().getName());
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }

  private Result syncStatus(Deployment d, List<ReplicaSet> owned, Optional<ReplicaSet> newRs, boolean progressed) {
    Instant now = clock.instant();
    int replicas = replicas(d.getSpec());
    DeploymentStatus old = d.getStatus();
    int total = owned.stream().mapToInt(r -> r.getStatus().getReplicas()).sum();
    int ready = owned.stream().mapToInt(r -> r.getStatus().getReadyReplicas()).sum();
    int available = owned.stream().mapToInt(r -> r.getStatus().getAvailableReplicas()).sum();
    int updated = newRs.map(r -> r.getStatus().getReplicas()).orElse(0);
    DeploymentStatus.Builder s = old.toBuilder().setObservedGeneration(d.getMetadata().getGeneration())
        .setReplicas(total).setUpdatedReplicas(updated).setReadyReplicas(ready).setAvailableReplicas(available)
        .setUnavailableReplicas(Math.max(0, replicas - available));
    progressed |= updated != old.getUpdatedReplicas() || available != old.getAvailableReplicas()
        || ready != old.getReadyReplicas();

    int maxUnavailable = isRecreate(d) ? replicas : RollingUpdateMath.fenceposts(
        d.getSpec().getStrategy().getRollingUpdate().getMaxSurge(),
        d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(), replicas)[1];
    boolean minAvailable = available >= replicas - maxUnavailable;
    setCondition(s, "Available", minAvailable ? "True" : "False",
        minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
        now, false);

    Result result = Result.done();
    Optional<DeploymentCondition> progressing = condition(old, "Progressing");
    if (d.getSpec().getPaused()) {
      setCondition(s, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, false);
    } else if (newRs.isPresent() && complete(d, newRs.get(), owned)) {
      setCondition(s, "Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + newRs.get().getMetadata().getName() + "\" has successfully progressed.", now,
          progressed);
    } else if (progressed || progressing.isEmpty() || progressing.get().getReason().equals("DeploymentPaused")
        || progressing.get().getReason().equals("NewReplicaSetAvailable")) {
      String rsName = newRs.map(r -> r.getMetadata().getName()).orElse(d.getMetadata().getName());
      setCondition(s, "Progressing", "True", "ReplicaSetUpdated",
          "ReplicaSet \"" + rsName + "\" is progressing.", now, true);
      result = deadlineCheck(d, Duration.ZERO);
    } else if (!progressing.get().getReason().equals("ProgressDeadlineExceeded")) {
      Instant last = PodState.instant(progressing.get().getLastUpdateTime());
      Duration deadline = Duration.ofSeconds(d.getSpec().hasProgressDeadlineSeconds()
          ? d.getSpec().getProgressDeadlineSeconds() : 600);
      Duration left = Duration.between(now, last.plus(deadline));
      if (left.isNegative() || left.isZero()) {
        String rsName = newRs.map(r -> r.getMetadata().getName()).orElse(d.getMetadata().getName());
        setCondition(s, "Progressing", "False", "ProgressDeadlineExceeded",
            "ReplicaSet \"" + rsName + "\" has timed out progressing.", now, true);
      } else {
        result = Result.requeueAfter(left.plusMillis(100));
      }
    }
    DeploymentStatus status = s.build();
    if (!status.equals(old)) {
      client.updateStatus(d.toBuilder().setStatus(status).build());
    }
    return result;
  }

  private static Result deadlineCheck(Deployment d, Duration elapsed) {
    long seconds = d.getSpec().hasProgressDeadlineSeconds() ? d.getSpec().getProgressDeadlineSeconds() : 600;
    return Result.requeueAfter(Duration.ofSeconds(seconds).minus(elapsed).plusMillis(100));
  }

  private static Optional<DeploymentCondition> condition(DeploymentStatus s, String type) {
    return s.getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  /**
   * Sets a condition; lastTransitionTime moves only when the status changes, lastUpdateTime when
   * anything changes or {@code touch} (progress was made).
   */
  private static void setCondition(DeploymentStatus.Builder s, String type, String status, String reason,
      String message, Instant now, boolean touch) {
    // Seconds, as Kubernetes' metav1.Time: a condition rewritten within the same second is unchanged.
    Timestamp t = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    DeploymentCondition.Builder c = DeploymentCondition.newBuilder().setType(type).setStatus(status)
        .setReason(reason).setMessage(message).setLastUpdateTime(t).setLastTransitionTime(t);
    for (int i = 0; i < s.getConditionsCount(); i++) {
      DeploymentCondition old = s.getConditions(i);
      if (old.getType().equals(type)) {
        if (old.getStatus().equals(status)) {
          c.setLastTransitionTime(old.getLastTransitionTime());
          if (!touch && old.getReason().equals(reason) && old.getMessage().equals(message)) {
            c.setLastUpdateTime(old.getLastUpdateTime());
          }
        }
        s.setConditions(i, c);
        return;
      }
    }
    s.addConditions(c);
  }
}
