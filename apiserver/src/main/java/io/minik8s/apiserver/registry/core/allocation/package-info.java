/**
 * Allocation of Services' cluster IPs ({@code --service-cluster-ip-range}) and node ports
 * ({@code --service-node-port-range}).
 *
 * <p>Each allocated value is one etcd key ({@code /registry/ranges/serviceips/<ip>},
 * {@code /registry/ranges/servicenodeports/<port>}) whose value is the owner Service
 * ({@code namespace/name/uid}). A key is created with a transaction that fails when it exists, before
 * the Service is written, so several API servers never hand out a value twice, and allocations survive
 * restarts. Input: Service creates, updates and deletes through
 * {@link io.minik8s.apiserver.registry.ResourceAllocator}; output: the Service with its values filled in,
 * or an Invalid error naming the field. {@link io.minik8s.apiserver.registry.core.allocation.AllocationRepair}
 * releases claims left behind by a crash.
 */
package io.minik8s.apiserver.registry.core.allocation;
