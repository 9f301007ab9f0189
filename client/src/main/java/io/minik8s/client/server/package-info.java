/**
 * The HTTP endpoint every minik8s process serves next to its real work, as Kubernetes' components do:
 * {@code /healthz} and {@code /livez} (the process answers), {@code /readyz} (its named readiness
 * checks pass: informers synced, API server reachable, ...) and {@code /metrics} (Prometheus text from
 * a Micrometer registry, with JVM and process metrics bound).
 *
 * <p>Netty-based: {@link io.minik8s.client.server.HealthServer} owns the bootstrap and lifecycle,
 * {@link io.minik8s.client.server.HealthServerInitializer} the pipeline, {@link
 * io.minik8s.client.server.HealthHandler} the routing.
 */
package io.minik8s.client.server;
