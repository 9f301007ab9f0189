package io.minik8s.kubelet.pod;

import io.minik8s.api.Pod;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ResourceEventHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pods of one informer, each handed to the kubelet node it is bound to. A kubelet's informer
 * watches its own node's pods ({@code spec.nodeName=<node>}); the hollow nodes of one process share
 * one informer of every bound pod ({@code spec.nodeName!=}) instead of a watch each, and this is where
 * its events split up by {@code spec.nodeName}. Pods of nodes not registered here are ignored.
 *
 * <p>What a node sees: the uid of each of its pods that is added, changed (or resynced) or deleted,
 * passed to its {@code onChange} on the informer's thread (so it must only enqueue); and, by uid, the
 * cached pod, only if it is bound to that node. Thread-safe.
 */
public final class PodsByNode implements ResourceEventHandler<Pod> {
  static final String UID_INDEX = "uid";
  static final String NODE_INDEX = "spec.nodeName";

  private final Informer<Pod> informer;
  private final Map<String, Consumer<String>> nodes = new ConcurrentHashMap<>();

  /** Indexes {@code informer}'s pods by uid and node and handles its events; call before it starts. */
  public PodsByNode(Informer<Pod> informer) {
    this.informer = informer;
    informer.addIndex(UID_INDEX, p -> List.of(p.getMetadata().getUid()));
    informer.addIndex(NODE_INDEX, p -> List.of(p.getSpec().getNodeName()));
    informer.addEventHandler(this);
  }

  /**
   * Hands the uids of {@code node}'s pods to {@code onChange} from now on, starting with those already
   * cached (a uid may come twice; the work queue de-duplicates).
   */
  public void register(String node, Consumer<String> onChange) {
    nodes.put(node, onChange);
    for (Pod p : informer.lister().byIndex(NODE_INDEX, node)) {
      onChange.accept(p.getMetadata().getUid());
    }
  }

  public void unregister(String node) {
    nodes.remove(node);
  }

  /** The cached pod with {@code uid} if it is bound to {@code node}. */
  public Optional<Pod> pod(String node, String uid) {
    for (Pod p : informer.lister().byIndex(UID_INDEX, uid)) {
      if (p.getSpec().getNodeName().equals(node)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** How many pods the informer holds (every node's). */
  public int size() {
    return informer.store().size();
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  @Override
  public void onAdd(Pod pod) {
    route(pod);
  }

  @Override
  public void onUpdate(Pod oldPod, Pod newPod) {
    route(newPod);
  }

  @Override
  public void onDelete(Pod pod) {
    route(pod);
  }

  private void route(Pod pod) {
    Consumer<String> onChange = nodes.get(pod.getSpec().getNodeName());
    if (onChange != null) {
      onChange.accept(pod.getMetadata().getUid());
    }
  }
}
