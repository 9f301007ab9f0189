/**
 * The pods waiting for a node. {@link io.minik8s.scheduler.queue.SchedulingQueue} keeps each pending
 * pod active (ready for an attempt, in priority then creation order), backing off (after a failed
 * attempt, 1 s doubling to 10 s, cut short when the cluster changes) or in flight (being scheduled
 * or bound). {@link io.minik8s.scheduler.queue.QueuedPod} is what one attempt gets.
 *
 * <p>Inputs: pending pods from the pod informer, cluster change notices, attempt outcomes. Output:
 * one pod at a time to the scheduling loop. Thread-safe.
 */
package io.minik8s.scheduler.queue;
