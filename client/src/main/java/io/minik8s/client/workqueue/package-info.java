/**
 * The work queue and the worker loop every controller runs, after client-go's {@code workqueue} and
 * controller-runtime's reconcile loop.
 *
 * <p>Inputs: keys (usually {@code "namespace/name"}) added by informer event handlers, directly, after
 * a delay or after a per-key back-off. Outputs: each key handed to exactly one worker at a time, which
 * calls a {@link io.minik8s.client.workqueue.Reconciler} and reports the {@link
 * io.minik8s.client.workqueue.Result}.
 *
 * <p>Guarantees of {@link io.minik8s.client.workqueue.WorkQueue}: a key waiting in the queue is there
 * once however often it is added (many events, one reconcile); a key is never processed by two workers
 * at once; a key added while it is being processed is processed again after {@code done}, so no change
 * is lost. Words: <em>dirty</em> = needs processing; <em>processing</em> = taken and not yet done.
 *
 * <p>Time comes from an injected {@link io.minik8s.client.workqueue.TaskScheduler}, so delays and
 * back-offs are tested with {@link io.minik8s.client.workqueue.ManualTaskScheduler} and no sleeps.
 */
package io.minik8s.client.workqueue;
