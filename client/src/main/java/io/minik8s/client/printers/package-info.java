/**
 * kubectl's columns for every kind: one {@link io.minik8s.client.printers.TablePrinter} per kind with
 * kubectl's cell rules ({@link io.minik8s.client.printers.PodStatusColumn},
 * {@link io.minik8s.client.printers.HumanDuration} for AGE). Shared by {@code mkctl get}, which lays the
 * cells out as text, and the API server, which returns them as a {@code meta.k8s.io/v1} Table to kubectl.
 * All pure functions of the objects and a clock.
 */
package io.minik8s.client.printers;
