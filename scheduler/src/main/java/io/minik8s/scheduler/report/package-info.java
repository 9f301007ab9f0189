/**
 * What users see of the scheduler's decisions: Events ({@code Scheduled}, {@code FailedScheduling})
 * and the pod's {@code PodScheduled=False} condition with Kubernetes' "0/N nodes are available"
 * message. {@link io.minik8s.scheduler.report.SchedulingReporter} is the seam; {@link
 * io.minik8s.scheduler.report.ApiServerReporter} writes through the API server on its own thread,
 * {@link io.minik8s.client.events.EventRecorder} aggregates repeated events (count,
 * firstTimestamp, lastTimestamp), {@link io.minik8s.scheduler.report.PodConditions} computes the
 * condition (and whether it changed).
 */
package io.minik8s.scheduler.report;
