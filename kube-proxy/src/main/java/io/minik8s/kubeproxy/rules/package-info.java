/**
 * Rule generation, a pure function: {@link io.minik8s.kubeproxy.rules.RuleGenerator#generate} turns
 * services ({@link io.minik8s.kubeproxy.rules.ServiceInfo}), their endpoints
 * ({@link io.minik8s.kubeproxy.rules.EndpointsInfo}), the node ({@link io.minik8s.kubeproxy.rules.NodeInfo})
 * and the proxy's {@link io.minik8s.kubeproxy.rules.ProxyConfig} into a
 * {@link io.minik8s.kubeproxy.rules.RuleSet}: the text for {@code iptables-restore --noflush} of the nat
 * and filter chains minik8s owns (all named {@code MINIK8S-...}), plus the jumps from the built-in chains.
 * No I/O, no clock, no randomness: equal input gives byte-identical output.
 */
package io.minik8s.kubeproxy.rules;
