/**
 * The narrow interface to iptables ({@link io.minik8s.kubeproxy.iptables.IptablesRunner}) and its real
 * implementation ({@link io.minik8s.kubeproxy.iptables.ExecIptablesRunner}), which shells out to
 * {@code iptables-restore --noflush -w}, {@code iptables-save} and {@code iptables -w}, optionally
 * behind a command prefix such as {@code ip netns exec NS} (how tests and the benchmark stay inside a
 * network namespace of their own). Failures are {@link io.minik8s.kubeproxy.iptables.IptablesException}s
 * carrying the command's stderr.
 */
package io.minik8s.kubeproxy.iptables;
