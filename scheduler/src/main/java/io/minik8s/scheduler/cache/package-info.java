/**
 * What the scheduler believes is placed where. {@link io.minik8s.scheduler.cache.SchedulerCache} is fed
 * by the node and pod informers and by the scheduler's own decisions (assumed pods, counted at once,
 * before the watch shows their binding); {@link io.minik8s.scheduler.cache.Snapshot} is the immutable
 * view one scheduling cycle works on.
 *
 * <p>Inputs: Node and Pod objects from informers; assume / finish-binding / forget from the scheduling
 * loop and binder. Output: snapshots. Thread-safe (one lock, no I/O under it).
 */
package io.minik8s.scheduler.cache;
