/**
 * Leader election over a {@code coordination.k8s.io/v1} Lease, after client-go's
 * {@code tools/leaderelection}: several copies of the scheduler or controller-manager run, only the
 * holder of the lease acts.
 *
 * <p>Inputs: a {@link io.minik8s.client.leader.LeaseClient} (the API server, or a fake), a validated
 * {@link io.minik8s.client.leader.LeaderElectionConfig}. Outputs: {@link
 * io.minik8s.client.leader.LeaderCallbacks} when this process starts or stops leading and when it sees
 * a new leader. {@link io.minik8s.client.leader.LeaderElector} states what it does and does not
 * guarantee.
 */
package io.minik8s.client.leader;
