/**
 * The {@code service-lb} controller: bare-metal load balancers for Services of type LoadBalancer, out
 * of an address pool given by {@code --load-balancer-ip-pool}.
 *
 * <p>Input: the shared Service informer. Output: {@code status.loadBalancer.ingress[0].ip} through the
 * API's status update (kube-proxy turns it into DNAT rules and binds it on the nodes), and Events
 * ({@code IPAllocated}, {@code AllocationFailed}, {@code IPConflict}, {@code IPReleased}).
 * {@link io.minik8s.controllermanager.loadbalancer.IpPool} parses the flag and finds the lowest free
 * address; {@link io.minik8s.controllermanager.loadbalancer.IpAllocator} remembers who holds what
 * (thread-safe); {@link io.minik8s.controllermanager.loadbalancer.ServiceLoadBalancerController} is the
 * reconcile around them.
 */
package io.minik8s.controllermanager.loadbalancer;
