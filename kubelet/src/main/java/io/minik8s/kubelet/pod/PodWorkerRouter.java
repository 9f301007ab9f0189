package io.minik8s.kubelet.pod;

import io.minik8s.client.workqueue.Reconciler;
import io.minik8s.client.workqueue.Result;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reconcile of the shared pod work queue: hands each {@link PodKey} to the {@link PodWorker} of its
 * node. So one queue and one pool of worker threads serve every node of the process, and the queue's
 * promise (a key is never in two workers at once) still keeps the runtime calls for one pod in order.
 * A key of a node not registered (any more) is dropped. Thread-safe.
 */
public final class PodWorkerRouter implements Reconciler<PodKey> {
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();

  /** Routes {@code node}'s keys to {@code worker} from now on. */
  public void register(String node, PodWorker worker) {
    workers.put(node, worker);
  }

  public void unregister(String node) {
    workers.remove(node);
  }

  @Override
  public Result reconcile(PodKey key) {
    PodWorker worker = workers.get(key.node());
    return worker == null ? Result.done() : worker.reconcile(key.uid());
  }
}
