package io.minik8s.client.leader;

import io.minik8s.api.Lease;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.Optional;

/**
 * The three calls leader election makes on Leases. Implementations must make {@link #update} a
 * compare-and-swap on {@code metadata.resourceVersion}: that is what keeps two candidates from both
 * believing they took the same free lease.
 */
public interface LeaseClient {
  /** The lease, or empty if it does not exist. */
  Optional<Lease> get(String namespace, String name);

  /** @throws ApiException AlreadyExists if another candidate created it first */
  Lease create(Lease lease);

  /** @throws ApiException Conflict if the lease changed since {@code lease}'s resourceVersion */
  Lease update(Lease lease);

  /** Leases through the API server. */
  static LeaseClient of(ApiClient client) {
    return new LeaseClient() {
      @Override
      public Optional<Lease> get(String namespace, String name) {
        return client.find(Kinds.LEASE, namespace, name);
      }

      @Override
      public Lease create(Lease lease) {
        return client.create(lease);
      }

      @Override
      public Lease update(Lease lease) {
        return client.update(lease);
      }
    };
  }
}
