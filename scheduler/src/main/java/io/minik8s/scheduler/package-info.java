/**
 * The minik8s scheduler process: places each pending pod on a node, as kube-scheduler does.
 *
 * <p>Flow: the pod and node informers feed the {@link io.minik8s.scheduler.queue.SchedulingQueue}
 * (pending pods, via {@link io.minik8s.scheduler.PodEventHandler}) and the {@link
 * io.minik8s.scheduler.cache.SchedulerCache} (nodes and bound pods, via it and {@link
 * io.minik8s.scheduler.NodeEventHandler}). The {@link io.minik8s.scheduler.Scheduler} loop pops one
 * pod at a time, runs the {@link io.minik8s.scheduler.algorithm.SchedulingAlgorithm} over a cache
 * snapshot, assumes the pod on the chosen node and binds it on a binder thread; failures back off.
 * {@link io.minik8s.scheduler.report} writes Events and the PodScheduled condition. {@link
 * io.minik8s.scheduler.SchedulerProcess} wires it all behind leader election; {@link
 * io.minik8s.scheduler.Main} is the command line.
 *
 * <p>Inputs: Pods and Nodes from the API server. Outputs: bindings, Events, pod conditions, metrics.
 */
package io.minik8s.scheduler;
