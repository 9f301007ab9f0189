/**
 * {@code mkctl get}'s tables: one {@link io.minik8s.cli.printers.TablePrinter} per kind with
 * kubectl's columns and cell rules ({@link io.minik8s.cli.printers.PodStatusColumn},
 * {@link io.minik8s.cli.printers.HumanDuration} for AGE), and the
 * {@link io.minik8s.cli.printers.TabWriter} that aligns them exactly as Go's tabwriter does for kubectl.
 * All pure functions of the objects and a clock.
 */
package io.minik8s.cli.printers;
