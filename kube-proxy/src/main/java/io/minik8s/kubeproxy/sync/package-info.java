/**
 * The sync loop kube-proxy's parts share: {@link io.minik8s.kubeproxy.sync.BoundedFrequencyRunner} turns
 * "something changed" signals from informer threads into runs of one sync function, rate-limited and
 * with a periodic full run. Input: {@code requestSync()} calls; output: calls of the function.
 */
package io.minik8s.kubeproxy.sync;
