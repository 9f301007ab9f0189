/**
 * The cluster DNS server ({@code bin/dns}).
 *
 * <p>Input: Services and Endpoints from the API server (informers), DNS queries over UDP and TCP.
 * Output: answers for {@code <svc>.<ns>.svc.<cluster-domain>} ({@link io.minik8s.dns.ClusterZone}: A for a
 * cluster IP, the ready endpoint IPs of a headless Service, CNAME for ExternalName, SRV for named ports,
 * NXDOMAIN for unknown names in the domain); every other name is forwarded to the upstream resolvers
 * ({@link io.minik8s.dns.UdpUpstream}), SERVFAIL when none answers in time. Metrics:
 * {@code dns_queries_total{type,rcode}}. With {@code --service}, {@link io.minik8s.dns.ServiceRegistration} keeps
 * a selector-less Service (e.g. {@code kube-system/kube-dns} at 10.96.0.10) with this server's address in its
 * Endpoints, so pods reach it at the ClusterIP their kubelet gives them as nameserver.
 * Words: the zone is the cluster domain; upstream = the host's resolvers.
 */
package io.minik8s.dns;
