/**
 * The filters: each one rule a node must satisfy for a pod, with the reason Kubernetes prints when it
 * does not. {@link io.minik8s.scheduler.filter.NodeReadyFilter}, {@link
 * io.minik8s.scheduler.filter.NodeUnschedulableFilter}, {@link
 * io.minik8s.scheduler.filter.TaintTolerationFilter}, {@link
 * io.minik8s.scheduler.filter.NodeSelectorFilter}, {@link io.minik8s.scheduler.filter.HostPortsFilter}
 * and {@link io.minik8s.scheduler.filter.ResourcesFilter}; {@link
 * io.minik8s.scheduler.filter.TolerationMatcher} holds Kubernetes' toleration rules they share.
 *
 * <p>Input: a pod and one node of a snapshot (always with its Node object). Output: a
 * {@link io.minik8s.scheduler.framework.FilterResult}. No state, no I/O.
 */
package io.minik8s.scheduler.filter;
