/**
 * The scheduler's vocabulary and its two extension points, after kube-scheduler's framework and
 * nomad's feasibility/rank split.
 *
 * <p>Words: a {@link io.minik8s.scheduler.framework.PodInfo} is a pending pod with its requests
 * computed; a {@link io.minik8s.scheduler.framework.NodeInfo} is a node with the pods on it (bound or
 * assumed) and what they request. A {@link io.minik8s.scheduler.framework.Filter} says whether a pod
 * may go on a node ({@link io.minik8s.scheduler.framework.FilterResult}: fits, or the reasons it does
 * not); a {@link io.minik8s.scheduler.framework.Scorer} ranks the nodes that passed every filter.
 *
 * <p>Everything here is immutable and free of I/O: filters and scorers are pure functions over a
 * snapshot, unit-tested with real objects.
 */
package io.minik8s.scheduler.framework;
