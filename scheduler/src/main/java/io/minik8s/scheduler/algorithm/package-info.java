/**
 * The decision: {@link io.minik8s.scheduler.algorithm.SchedulingAlgorithm} takes a pod and a
 * {@link io.minik8s.scheduler.cache.Snapshot} and returns a {@link
 * io.minik8s.scheduler.algorithm.ScheduleResult}: a node, or a {@link
 * io.minik8s.scheduler.algorithm.FitError} counting the reasons nodes were rejected, which renders
 * Kubernetes' {@code 0/3 nodes are available: ...} message. {@link
 * io.minik8s.scheduler.algorithm.SchedulingProfile} names the filters and weighted scorers used.
 *
 * <p>A pure function over immutable inputs: unit-tested in memory with real objects.
 */
package io.minik8s.scheduler.algorithm;
