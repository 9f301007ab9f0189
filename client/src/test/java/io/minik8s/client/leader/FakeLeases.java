package io.minik8s.client.leader;

import io.minik8s.api.Lease;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Leases in memory with resourceVersion compare-and-swap, and one {@link LeaseClient} per elector that
 * a test can cut off ({@link Client#broken}).
 */
final class FakeLeases {
  private final Map<String, Lease> leases = new HashMap<>();
  private long revision;
  /** Runs inside the next update, before its compare-and-swap: lets a test slip a competing write in. */
  Runnable beforeNextUpdate;

  synchronized Optional<Lease> get(String ns, String name) {
    return Optional.ofNullable(leases.get(ns + "/" + name));
  }

  synchronized Lease create(Lease lease) {
    String key = lease.getMetadata().getNamespace() + "/" + lease.getMetadata().getName();
    if (leases.containsKey(key)) {
      throw ApiException.alreadyExists(Kinds.LEASE, lease.getMetadata().getName());
    }
    return store(key, lease);
  }

  Lease update(Lease lease) {
    Runnable hook;
    synchronized (this) {
      hook = beforeNextUpdate;
      beforeNextUpdate = null;
    }
    if (hook != null) {
      hook.run();
    }
    synchronized (this) {
      String key = lease.getMetadata().getNamespace() + "/" + lease.getMetadata().getName();
      Lease current = leases.get(key);
      if (current == null) {
        throw ApiException.notFound(Kinds.LEASE, lease.getMetadata().getName());
      }
      if (!current.getMetadata().getResourceVersion().equals(lease.getMetadata().getResourceVersion())) {
        throw ApiException.conflict(Kinds.LEASE, lease.getMetadata().getName(),
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      return store(key, lease);
    }
  }

  private Lease store(String key, Lease lease) {
    Lease stored = lease.toBuilder().setMetadata(lease.getMetadata().toBuilder()
        .setResourceVersion(Long.toString(++revision))).build();
    leases.put(key, stored);
    return stored;
  }

  Client client() {
    return new Client();
  }

  final class Client implements LeaseClient {
    volatile boolean broken;

    private void check() {
      if (broken) {
        throw ApiException.unavailable("API server unavailable (fake)", null);
      }
    }

    @Override
    public Optional<Lease> get(String namespace, String name) {
      check();
      return FakeLeases.this.get(namespace, name);
    }

    @Override
    public Lease create(Lease lease) {
      check();
      return FakeLeases.this.create(lease);
    }

    @Override
    public Lease update(Lease lease) {
      check();
      return FakeLeases.this.update(lease);
    }
  }
}
