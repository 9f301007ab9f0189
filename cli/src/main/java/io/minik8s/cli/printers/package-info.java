/**
 * {@code mkctl}'s text layout: the {@link io.minik8s.cli.printers.TabWriter} that aligns table rows exactly
 * as Go's tabwriter does for kubectl. The columns and cells of each kind come from
 * {@link io.minik8s.client.printers}, which the API server's Table responses share.
 */
package io.minik8s.cli.printers;
