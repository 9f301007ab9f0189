package io.minik8s.apiserver.registry.core;

import com.google.protobuf.Message;
import io.minik8s.api.Namespace;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties terminating namespaces and then removes them: deletes every object in the namespace (pods
 * gracefully, so their kubelets stop them first), and once nothing is left, drops the
 * {@code kubernetes} finalizer so the namespace disappears.
 *
 * <p>Level-based: each pass looks at every terminating namespace as stored, so a crash or a second
 * API server doing the same work cannot leave a namespace half-deleted. Passes run on one thread,
 * after each namespace delete, at start-up, and again every {@link #RECHECK} while some namespace is
 * still waiting for its objects to go.
 */
public final class NamespaceFinalizer implements AutoCloseable {
  static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(NamespaceFinalizer.class);

  private final Registries registries;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "namespace-finalizer");
    t.setDaemon(true);
    return t;
  });

  public NamespaceFinalizer(Registries registries) {
    this.registries = registries;
  }

  /** Asks for a pass soon. */
  public void trigger() {
    executor.execute(this::pass);
  }

  private void pass() {
    boolean waiting = false;
    try {
      for (Namespace ns : registries.namespaces().list("", o -> true, 0, "").items()) {
        if (ns.getMetadata().hasDeletionTimestamp()) {
          waiting |= !finish(ns.getMetadata().getName());
        }
      }
    } catch (RuntimeException e) {
      log.warn("namespace finalizer pass failed, retrying: {}", e.toString());
      waiting = true;
    }
    if (waiting) {
      executor.schedule(this::pass, RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** @return true when the namespace is gone */
  private boolean finish(String namespace) {
    long remaining = 0;
    for (Kind<?> kind : Kinds.all()) {
      if (kind.namespaced()) {
        remaining += deleteAll(registries.of(kind), namespace);
      }
    }
    if (remaining > 0) {
      return false;
    }
    registries.namespaces().modify("", namespace,
        ns -> ns.toBuilder().setSpec(ns.getSpec().toBuilder().clearFinalizers()).build());
    try {
      registries.namespaces().delete("", namespace, 0L, null, null);
      log.info("namespace {} deleted", namespace);
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    return true;
  }

  private <T extends Message> long deleteAll(ResourceRegistry<T> registry, String namespace) {
    long count = 0;
    for (T obj : registry.list(namespace, o -> true, 0, "").items()) {
      count++;
      if (!registry.kind().metadata(obj).hasDeletionTimestamp()) {
        try {
          registry.delete(namespace, registry.kind().metadata(obj).getName(), null, null, null);
        } catch (ApiException e) {
          if (!e.isNotFound()) {
            throw e;
          }
        }
      }
    }
    return count;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
