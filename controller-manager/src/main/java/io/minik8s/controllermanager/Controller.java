package io.minik8s.controllermanager;

import io.minik8s.client.workqueue.Reconciler;

/**
 * One controller of the controller-manager: a level-based {@link #reconcile(Object) reconcile(key)}
 * (keys are {@code "namespace/name"}, or {@code "name"} for cluster-scoped objects) fed by its own work
 * queue, and the informer handlers that fill that queue.
 *
 * <p>The process calls {@link #register} once, before the shared informers start, then runs the
 * controller through a {@link io.minik8s.client.workqueue.ControllerRunner} with {@code
 * --concurrent-syncs} workers: {@code reconcile} is never called for one key by two threads at once,
 * but may be for different keys.
 */
public interface Controller extends Reconciler<String> {
  /** The name {@code --controllers} knows it by ({@code replicaset}, {@code deployment}). */
  String name();

  /**
   * Adds the informer handlers that enqueue keys into {@code context.queue()}. Handlers only map an
   * object to the key(s) to reconcile; they make no API calls.
   */
  void register(ControllerContext context);
}
