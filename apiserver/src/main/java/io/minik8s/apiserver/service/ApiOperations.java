package io.minik8s.apiserver.service;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.apiserver.registry.core.NamespaceFinalizer;
import io.minik8s.apiserver.storage.WatchCache;
import io.minik8s.apiserver.watch.WatchHub;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The API's operations, whatever the wire: the gRPC service and the REST handler both translate their
 * requests into these calls, so that defaults, validation, admission, selectors and deletion rules
 * live in one place (the registries) and are reached the same way.
 *
 * <p>Stateless and thread-safe. Errors are {@link ApiException}s, ready to be rendered as a Kubernetes
 * {@code Status}.
 */
public final class ApiOperations {
  private static final List<String> PROPAGATION = List.of("", "Background", "Foreground", "Orphan");

  private final Registries registries;
  private final WatchHub watches;
  private final NamespaceFinalizer namespaceFinalizer;

  public ApiOperations(Registries registries, WatchHub watches, NamespaceFinalizer namespaceFinalizer) {
    this.registries = registries;
    this.watches = watches;
    this.namespaceFinalizer = namespaceFinalizer;
  }

  public Registries registries() {
    return registries;
  }

  /** The kind served under a resource name ({@code pods}); NotFound for one the server does not serve. */
  public Kind<?> kindOf(String resource) {
    return registries.forResource(resource).kind();
  }

  public <T extends Message> T create(Kind<T> kind, T object, boolean dryRun) {
    return registries.of(kind).create(object, dryRun);
  }

  public <T extends Message> T get(Kind<T> kind, String namespace, String name) {
    return registries.of(kind).get(namespace, name);
  }

  public <T extends Message> Optional<T> find(Kind<T> kind, String namespace, String name) {
    return registries.of(kind).find(namespace, name);
  }

  /**
   * One page of the objects that match both selectors, in {@code namespace} (empty: every namespace).
   *
   * @throws ApiException BadRequest when a selector does not parse or names an unsupported field
   */
  public <T extends Message> ResourceRegistry.ListPage<T> list(Kind<T> kind, String namespace, String labelSelector,
      String fieldSelector, long limit, String continueToken) {
    Predicate<Message> filter = ObjectFilter.of(kind, namespace, labelSelector, fieldSelector);
    return registries.of(kind).list(namespace, filter, limit, continueToken);
  }

  public <T extends Message> T update(Kind<T> kind, T object, boolean dryRun) {
    return registries.of(kind).update(object, dryRun);
  }

  public <T extends Message> T updateStatus(Kind<T> kind, T object, boolean dryRun) {
    return registries.of(kind).updateStatus(object, dryRun);
  }

  /**
   * Deletes (or marks for deletion) one object; see {@link ResourceRegistry#delete}. A deleted namespace
   * wakes the namespace finalizer, which empties it.
   *
   * @param propagationPolicy "", Background, Foreground or Orphan; anything else is BadRequest
   */
  public <T extends Message> T delete(Kind<T> kind, String namespace, String name, Long gracePeriodSeconds,
      String preconditionUid, String preconditionResourceVersion, String propagationPolicy) {
    checkPropagation(propagationPolicy);
    T deleted = registries.of(kind).delete(namespace, name, gracePeriodSeconds, preconditionUid,
        preconditionResourceVersion, propagationPolicy);
    if (kind == io.minik8s.client.api.Kinds.NAMESPACE) {
      namespaceFinalizer.trigger();
    }
    return deleted;
  }

  /**
   * Kubernetes' {@code deletecollection}: deletes every object of {@code kind} in {@code namespace} (empty:
   * the cluster-scoped kind's objects) that matches both selectors, one by one with the same options as a
   * single delete. Not atomic, as in Kubernetes: objects created meanwhile may be missed, and one that is
   * already gone when its turn comes is skipped. The first other failure ends the call (objects deleted
   * before it stay deleted).
   *
   * @param dryRun true: nothing is deleted, the matching objects are returned
   * @return the objects as each delete left them (marked for deletion, or their last state), with the
   *     revision the matching objects were listed at
   */
  public <T extends Message> ResourceRegistry.ListPage<T> deleteCollection(Kind<T> kind, String namespace,
      String labelSelector, String fieldSelector, Long gracePeriodSeconds, String propagationPolicy, boolean dryRun) {
    checkPropagation(propagationPolicy);
    List<T> matching = new ArrayList<>();
    String continueToken = "";
    long revision = 0;
    do {
      ResourceRegistry.ListPage<T> page = list(kind, namespace, labelSelector, fieldSelector, 500, continueToken);
      revision = revision == 0 ? page.revision() : revision;
      matching.addAll(page.items());
      continueToken = page.continueToken() == null ? "" : page.continueToken();
    } while (!continueToken.isEmpty());
    if (dryRun) {
      return new ResourceRegistry.ListPage<>(matching, revision, "");
    }
    List<T> deleted = new ArrayList<>(matching.size());
    for (T object : matching) {
      ObjectMeta meta = kind.metadata(object);
      try {
        deleted.add(delete(kind, meta.getNamespace(), meta.getName(), gracePeriodSeconds, meta.getUid(), "",
            propagationPolicy));
      } catch (ApiException e) {
        // Gone, or replaced by a namesake (the uid precondition failed): not one of the objects matched.
        if (!e.isNotFound() && !e.isConflict()) {
          throw e;
        }
      }
    }
    return new ResourceRegistry.ListPage<>(deleted, revision, "");
  }

  private static void checkPropagation(String propagationPolicy) {
    if (!PROPAGATION.contains(propagationPolicy)) {
      throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + propagationPolicy
          + "\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
    }
  }

  /** pods/binding; see {@link Registries#bind}. */
  public Pod bind(String namespace, String name, String nodeName, String uid) {
    return registries.bind(namespace, name, nodeName, uid);
  }

  /**
   * Starts a watch of the objects that match both selectors, in {@code namespace} (empty: every namespace).
   *
   * @param resourceVersion "" or "0": current objects as ADDED first; otherwise every change after it
   * @throws ApiException BadRequest for a bad selector or version, ServiceUnavailable while the cache loads
   */
  public WatchCache.Watcher watch(Kind<?> kind, String namespace, String labelSelector, String fieldSelector,
      String resourceVersion, boolean bookmarks, WatchCache.Sink sink) {
    Predicate<Message> filter = ObjectFilter.of(kind, namespace, labelSelector, fieldSelector);
    return watches.watch(kind, resourceVersion, filter, bookmarks, sink);
  }

  /** The filter of a watch, for wires that start the watch themselves (gRPC, with its flow control). */
  public Predicate<Message> filter(Kind<?> kind, String namespace, String labelSelector, String fieldSelector) {
    return ObjectFilter.of(kind, namespace, labelSelector, fieldSelector);
  }
}
