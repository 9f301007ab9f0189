package io.minik8s.controllermanager.nodelifecycle;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.workqueue.Result;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches node heartbeats and handles nodes whose kubelet went silent, as Kubernetes' node lifecycle
 * controller (with taint-based eviction) does. Keys are node names.
 *
 * <p>A node is unreachable when neither its Lease ({@code kube-node-lease/<node>}, renewTime) nor its
 * Ready condition's lastHeartbeatTime has moved for the grace period ({@link NodeHealth}). Then:
 * <ol>
 *   <li>its conditions become Unknown (Ready: reason {@code NodeStatusUnknown}, message "Kubelet
 *       stopped posting node status."; lastHeartbeatTime kept);
 *   <li>it gets the taints {@code node.kubernetes.io/unreachable} NoSchedule and NoExecute (the latter
 *       stamped with timeAdded, from which evictions count);
 *   <li>its pods get Ready=False;
 *   <li>pods without a toleration of the NoExecute taint are deleted once the eviction timeout has passed
 *       since timeAdded; pods tolerating it with tolerationSeconds after that many seconds (the smallest
 *       of several); pods tolerating it without tolerationSeconds stay. Deletes are graceful; a pod
 *       whose grace period has run out is then deleted with grace 0, since no kubelet will confirm.
 * </ol>
 * When the heartbeat moves again, the two taints are removed (the kubelet writes its own conditions).
 *
 * <p>Triggers: Node and node Lease changes (keyed by node name), and pod changes on a node that carries
 * the unreachable taint.
 *
 * <p>Level-based: every step compares the stored objects with the wanted ones and writes only
 * differences; each reconcile asks to run again at the next moment something is due (the grace period
 * ending, an eviction, a grace period running out). Writes carry the cached resourceVersion; conflicts
 * are retried by the runner.
 */
public final class NodeLifecycleController implements Controller {
  public static final String NAME = "nodelifecycle";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
  /** The pods informer's index from spec.nodeName to pods. */
  public static final String POD_NODE_INDEX = "spec.nodeName";
  static final String UNKNOWN_REASON = "NodeStatusUnknown";
  static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
  private static final Set<String> CONDITIONS_MADE_UNKNOWN =
      Set.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);

  private final ApiClient client;
  private final Lister<Node> nodes;
  private final Lister<Lease> leases;
  private final Lister<Pod> pods;
  private final Clock clock;
  private final NodeLifecycleSettings settings;
  private final NodeHealth health = new NodeHealth();

  /** {@code pods} must have the {@link #POD_NODE_INDEX} index ({@link #podNodeIndex()}). */
  public NodeLifecycleController(ApiClient client, Lister<Node> nodes, Lister<Lease> leases, Lister<Pod> pods,
      Clock clock, NodeLifecycleSettings settings) {
    this.client = client;
    this.nodes = nodes;
    this.leases = leases;
    this.pods = pods;
    this.clock = clock;
    this.settings = settings;
  }

  public static NodeLifecycleController create(ControllerContext context, NodeLifecycleSettings settings) {
    Informer<Pod> podInformer = context.informers().informer(Kinds.POD);
    try {
      podInformer.addIndex(POD_NODE_INDEX, podNodeIndex());
    } catch (IllegalArgumentException alreadyThere) {
      // Another controller indexed pods by node under the same name: the same function.
    }
    return new NodeLifecycleController(context.client(), context.informers().informer(Kinds.NODE).lister(),
        context.informers().informer(Kinds.LEASE, ListOptions.inNamespace(LEASE_NAMESPACE)).lister(),
        podInformer.lister(), context.clock(), settings);
  }

  /** Indexes a pod under its node's name (not at all while unscheduled). */
  public static Function<Pod, List<String>> podNodeIndex() {
    return p -> p.getSpec().getNodeName().isEmpty() ? List.of() : List.of(p.getSpec().getNodeName());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {
    context.informers().informer(Kinds.NODE)
        .addEventHandler(ResourceEventHandler.onChange(n -> context.queue().add(n.getMetadata().getName())));
    context.informers().informer(Kinds.LEASE, ListOptions.inNamespace(LEASE_NAMESPACE))
        .addEventHandler(ResourceEventHandler.onChange(l -> context.queue().add(l.getMetadata().getName())));
    // A pod arriving on (or changing on) an unreachable node needs marking and, in time, evicting.
    context.informers().informer(Kinds.POD).addEventHandler(ResourceEventHandler.onChange(p -> {
      String node = p.getSpec().getNodeName();
      if (!node.isEmpty() && nodes.get(node).map(NodeLifecycleController::hasUnreachableTaint).orElse(false)) {
        context.queue().add(node);
      }
    }));
  }

  @Override
  public Result reconcile(String nodeName) {
    Optional<Node> found = nodes.get(nodeName);
    if (found.isEmpty()) {
      health.forget(nodeName);
      return Result.done();
    }
    Node node = found.get();
    Instant now = clock.instant();
    Timestamp renew = leases.get(LEASE_NAMESPACE, nodeName)
        .filter(l -> l.getSpec().hasRenewTime()).map(l -> l.getSpec().getRenewTime()).orElse(null);
    Optional<NodeCondition> ready = condition(node, "Ready");
    Timestamp heartbeat = ready.filter(NodeCondition::hasLastHeartbeatTime)
        .map(NodeCondition::getLastHeartbeatTime).orElse(null);
    NodeHealth.Probe probe = health.observe(nodeName, renew, heartbeat, now);
    Instant unreachableAt = probe.probedAt().plus(settings.gracePeriod());
    if (now.isBefore(unreachableAt)) {
      boolean kubeletIsBack = probe.seenMoving() || ready.map(c -> c.getStatus().equals("True")).orElse(false);
      if (kubeletIsBack && hasUnreachableTaint(node)) {
        client.update(node.toBuilder().setSpec(node.getSpec().toBuilder().clearTaints()
            .addAllTaints(node.getSpec().getTaintsList().stream()
                .filter(t -> !t.getKey().equals(UNREACHABLE_TAINT)).toList())).build());
        log.atInfo().addKeyValue("node", nodeName).log("node heartbeat is back: unreachable taints removed");
      }
      return Result.requeueAfter(Duration.between(now, unreachableAt));
    }
    node = markUnknown(node, now);
    node = taint(node, now);
    Instant since = node.getSpec().getTaintsList().stream()
        .filter(t -> t.getKey().equals(UNREACHABLE_TAINT) && t.getEffect().equals("NoExecute")
            && t.hasTimeAdded())
        .map(t -> instant(t.getTimeAdded())).findFirst().orElse(now);
    Instant next = null;
    for (Pod pod : pods.byIndex(POD_NODE_INDEX, nodeName)) {
      Instant due = handlePod(pod, since, now);
      if (due != null && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return next == null ? Result.done() : Result.requeueAfter(Duration.between(now, next).isNegative()
        ? Duration.ZERO : Duration.between(now, next));
  }

  /** Sets the node's conditions to Unknown (if not yet); returns the node as stored afterwards. */
  private Node markUnknown(Node node, Instant now) {
    NodeStatus.Builder status = node.getStatus().toBuilder();
    boolean sawReady = false;
    boolean changed = false;
    for (int i = 0; i < status.getConditionsCount(); i++) {
      NodeCondition c = status.getConditions(i);
      sawReady |= c.getType().equals("Ready");
      if (CONDITIONS_MADE_UNKNOWN.contains(c.getType()) && !c.getStatus().equals("Unknown")) {
        status.setConditions(i, c.toBuilder().setStatus("Unknown").setReason(UNKNOWN_REASON)
            .setMessage(UNKNOWN_MESSAGE).setLastTransitionTime(timestamp(now)));
        changed = true;
      }
    }
    if (!sawReady) {
      status.addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("Unknown")
          .setReason("NodeStatusNeverUpdated").setMessage("Kubelet never posted node status.")
          .setLastTransitionTime(timestamp(now)));
      changed = true;
    }
    if (!changed) {
      return node;
    }
    log.atWarn().addKeyValue("node", node.getMetadata().getName()).log("node stopped posting status: Ready=Unknown");
    return client.updateStatus(node.toBuilder().setStatus(status).build());
  }

  /** Adds the unreachable NoSchedule and NoExecute taints (if not yet); returns the node as stored afterwards. */
  private Node taint(Node node, Instant now) {
    var spec = node.getSpec().toBuilder();
    boolean changed = false;
    for (String effect : List.of("NoSchedule", "NoExecute")) {
      boolean present = node.getSpec().getTaintsList().stream()
          .anyMatch(t -> t.getKey().equals(UNREACHABLE_TAINT) && t.getEffect().equals(effect));
      if (!present) {
        Taint.Builder t = Taint.newBuilder().setKey(UNREACHABLE_TAINT).setEffect(effect);
        if (effect.equals("NoExecute")) {
          t.setTimeAdded(timestamp(now));
        }
        spec.addTaints(t);
        changed = true;
      }
    }
    if (!changed) {
      return node;
    }
    return client.update(node.toBuilder().setSpec(spec).build());
  }

  /** Marks one pod not ready and evicts it when due; returns when it next needs attention, or null. */
  private Instant handlePod(Pod pod, Instant since, Instant now) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().hasDeletionTimestamp()) {
      Instant graceEnds = instant(pod.getMetadata().getDeletionTimestamp());
      if (now.isBefore(graceEnds)) {
        return graceEnds;
      }
      // Nobody on the node will confirm: finish the delete, as Kubernetes' pod garbage collector does.
      ignoreNotFound(() -> client.delete(Kinds.POD, ns, name, new DeleteOptions(0L, "", uid)));
      return null;
    }
    String phase = pod.getStatus().getPhase();
    if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
      markNotReady(pod, now);
    }
    Optional<Duration> tolerated = toleratedFor(pod, settings.podEvictionTimeout());
    if (tolerated.isEmpty()) {
      return null;
    }
    Instant evictAt = since.plus(tolerated.get());
    if (now.isBefore(evictAt)) {
      return evictAt;
    }
    log.atInfo().addKeyValue("pod", ns + "/" + name).addKeyValue("node", pod.getSpec().getNodeName())
        .log("evicting pod from unreachable node");
    Pod deleted = ignoreNotFound(() -> client.delete(Kinds.POD, ns, name, new DeleteOptions(null, "", uid)));
    if (deleted != null && deleted.getMetadata().hasDeletionTimestamp()) {
      return instant(deleted.getMetadata().getDeletionTimestamp());
    }
    return null;
  }

  private void markNotReady(Pod pod, Instant now) {
    PodStatus.Builder status = pod.getStatus().toBuilder();
    boolean changed = false;
    for (int i = 0; i < status.getConditionsCount(); i++) {
      PodCondition c = status.getConditions(i);
      if (c.getType().equals("Ready") && !c.getStatus().equals("False")) {
        status.setConditions(i, c.toBuilder().setStatus("False").setLastTransitionTime(timestamp(now)));
        changed = true;
      }
    }
    if (changed) {
      ignoreNotFound(() -> client.updateStatus(pod.toBuilder().setStatus(status).build()));
    }
  }

  /**
   * How long {@code pod} may stay on an unreachable node: empty for ever (it tolerates the NoExecute
   * taint without tolerationSeconds), the smallest tolerationSeconds of the matching tolerations, or
   * {@code evictionTimeout} when none matches.
   */
  static Optional<Duration> toleratedFor(Pod pod, Duration evictionTimeout) {
    boolean matched = false;
    Long min = null;
    for (Toleration t : pod.getSpec().getTolerationsList()) {
      if (!toleratesUnreachable(t)) {
        continue;
      }
      matched = true;
      if (t.hasTolerationSeconds()) {
        long s = Math.max(0, t.getTolerationSeconds());
        min = min == null ? s : Math.min(min, s);
      }
    }
    if (!matched) {
      return Optional.of(evictionTimeout);
    }
    return min == null ? Optional.empty() : Optional.of(Duration.ofSeconds(min));
  }

  /** Kubernetes' ToleratesTaint for the taint {@code node.kubernetes.io/unreachable:NoExecute} (value ""). */
  static boolean toleratesUnreachable(Toleration t) {
    if (!t.getEffect().isEmpty() && !t.getEffect().equals("NoExecute")) {
      return false;
    }
    if (!t.getKey().isEmpty() && !t.getKey().equals(UNREACHABLE_TAINT)) {
      return false;
    }
    switch (t.getOperator()) {
      case "Exists":
        return true;
      case "":
      case "Equal":
        return !t.getKey().isEmpty() && t.getValue().isEmpty();
      default:
        return false;
    }
  }

  private static boolean hasUnreachableTaint(Node node) {
    return node.getSpec().getTaintsList().stream().anyMatch(t -> t.getKey().equals(UNREACHABLE_TAINT));
  }

  private static Optional<NodeCondition> condition(Node node, String type) {
    return node.getStatus().getConditionsList().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private static <T> T ignoreNotFound(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
