/**
 * Binding load-balancer addresses on the node: {@link io.minik8s.kubeproxy.loadbalancer.LoadBalancerAddressBinder}
 * keeps the Services' {@code status.loadBalancer.ingress[].ip} as /32 addresses on a link of kube-proxy's
 * own ({@code minik8s-lb0}), so the node answers ARP for them and the proxier's DNAT rules receive the
 * traffic. {@link io.minik8s.kubeproxy.loadbalancer.LinkAddresses} is the narrow interface to the host
 * ({@code ip link}, {@code ip addr}); {@link io.minik8s.kubeproxy.loadbalancer.IpCommandLinkAddresses}
 * runs the {@code ip} command, on the host or in a network namespace.
 */
package io.minik8s.kubeproxy.loadbalancer;
