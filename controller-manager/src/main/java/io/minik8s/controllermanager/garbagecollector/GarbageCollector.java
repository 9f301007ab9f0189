package io.minik8s.controllermanager.garbagecollector;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.workqueue.Result;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' garbage collector, level-based over the shared informers of every kind. Keys are
 * {@link ObjectKey}s ({@code pods/default/web-x}).
 *
 * <p>For one object, reconcile does, in order:
 * <ol>
 *   <li>If it is being deleted and carries the {@value #ORPHAN_FINALIZER} finalizer: remove its uid from
 *       the ownerReferences of every dependent (objects whose ownerReferences name that uid), then the
 *       finalizer, so the API server completes the delete and the dependents stay.
 *   <li>If it has ownerReferences and is not being deleted: an owner exists when an object of the
 *       referenced kind and name, in the object's namespace for namespaced kinds, has the referenced uid
 *       (a same-name object with another uid is a different owner). An owner missing from the cache is
 *       confirmed missing with a live get, so a lagging cache never deletes anything. All owners gone: the
 *       object is deleted (background cascade, with its uid as precondition). Some gone: the references
 *       to those are removed. Owners of a kind minik8s does not serve are assumed present.
 * </ol>
 *
 * <p>Triggers: adds and updates of objects with owner references or the orphan finalizer; the delete of
 * any object enqueues its dependents (found through {@link OwnerIndex}).
 */
public final class GarbageCollector implements Controller {
  public static final String NAME = "garbagecollector";
  public static final String ORPHAN_FINALIZER = "orphan";
  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

  private final ApiClient client;
  private final Map<Kind<?>, Lister<? extends Message>> listers;

  /** {@code listers}: one per kind collected, each with the {@link OwnerIndex} index. */
  public GarbageCollector(ApiClient client, Map<Kind<?>, Lister<? extends Message>> listers) {
    this.client = client;
    this.listers = Map.copyOf(listers);
  }

  public static GarbageCollector create(ControllerContext context) {
    Map<Kind<?>, Lister<? extends Message>> listers = new LinkedHashMap<>();
    for (Kind<?> kind : Kinds.all()) {
      Informer<?> informer = context.informers().informer(kind);
      addOwnerIndex(informer);
      listers.put(kind, informer.lister());
    }
    return new GarbageCollector(context.client(), listers);
  }

  private static <T extends Message> void addOwnerIndex(Informer<T> informer) {
    try {
      informer.addIndex(OwnerIndex.NAME, OwnerIndex.function());
    } catch (IllegalArgumentException alreadyThere) {
      // Indexed already under this name: the same function.
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {
    WorkQueue<String> queue = context.queue();
    for (Kind<?> kind : listers.keySet()) {
      context.informers().informer(kind).addEventHandler(handler(queue));
    }
  }

  private <T extends Message> ResourceEventHandler<T> handler(WorkQueue<String> queue) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        enqueueIfInteresting(object);
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        enqueueIfInteresting(newObject);
      }

      @Override
      public void onDelete(T object) {
        for (Message dependent : dependents(Kinds.of(object).metadata(object).getUid())) {
          queue.add(ObjectKey.of(dependent));
        }
      }

      private void enqueueIfInteresting(T object) {
        ObjectMeta meta = Kinds.of(object).metadata(object);
        if (meta.getOwnerReferencesCount() > 0
            || (meta.hasDeletionTimestamp() && meta.getFinalizersList().contains(ORPHAN_FINALIZER))) {
          queue.add(ObjectKey.of(object));
        }
      }
    };
  }

  @Override
  public Result reconcile(String key) {
    ObjectKey k = ObjectKey.parse(key);
    Lister<? extends Message> lister = listers.get(k.kind());
    if (lister == null) {
      return Result.done();
    }
    Optional<? extends Message> found = lister.get(k.storeKey());
    if (found.isEmpty()) {
      return Result.done();
    }
    Message object = found.get();
    ObjectMeta meta = k.kind().metadata(object);
    if (meta.hasDeletionTimestamp()) {
      if (meta.getFinalizersList().contains(ORPHAN_FINALIZER)) {
        orphanDependents(object);
      }
      return Result.done();
    }
    if (meta.getOwnerReferencesCount() > 0) {
      collectIfOwnersGone(object);
    }
    return Result.done();
  }

  private void orphanDependents(Message owner) {
    Kind<?> kind = Kinds.of(owner);
    ObjectMeta meta = kind.metadata(owner);
    String uid = meta.getUid();
    for (Message dependent : dependents(uid)) {
      removeOwnerReferences(dependent, Set.of(uid));
    }
    List<String> finalizers = new ArrayList<>(meta.getFinalizersList());
    finalizers.remove(ORPHAN_FINALIZER);
    ignoreNotFound(() -> client.update(kind.withMetadata(owner,
        meta.toBuilder().clearFinalizers().addAllFinalizers(finalizers).build())));
    log.atInfo().addKeyValue("owner", ObjectKey.of(owner)).log("dependents orphaned");
  }

  private void collectIfOwnersGone(Message object) {
    Kind<?> kind = Kinds.of(object);
    ObjectMeta meta = kind.metadata(object);
    List<OwnerReference> refs = meta.getOwnerReferencesList();
    Set<String> gone = refs.stream().filter(r -> !ownerExists(r, meta.getNamespace()))
        .map(OwnerReference::getUid).collect(Collectors.toSet());
    if (gone.isEmpty()) {
      return;
    }
    if (gone.size() == refs.stream().map(OwnerReference::getUid).distinct().count()) {
      log.atInfo().addKeyValue("object", ObjectKey.of(object)).addKeyValue("owners", refs.stream()
          .map(r -> r.getKind() + "/" + r.getName()).toList()).log("owners gone: deleting");
      ignoreNotFound(() -> client.delete(kind, meta.getNamespace(), meta.getName(),
          new DeleteOptions(null, "Background", meta.getUid())));
      return;
    }
    removeOwnerReferences(object, gone);
  }

  /** Whether the owner a reference names exists with the referenced uid (checked live when not cached). */
  private boolean ownerExists(OwnerReference ref, String dependentNamespace) {
    Optional<Kind<?>> ownerKind = Kinds.byApiVersionAndKind(ref.getApiVersion(), ref.getKind());
    if (ownerKind.isEmpty()) {
      return true;
    }
    Kind<?> kind = ownerKind.get();
    String namespace = kind.namespaced() ? dependentNamespace : "";
    Lister<? extends Message> lister = listers.get(kind);
    if (lister != null) {
      Optional<? extends Message> cached = lister.get(namespace, ref.getName());
      if (cached.isPresent() && kind.metadata(cached.get()).getUid().equals(ref.getUid())) {
        return true;
      }
    }
    Optional<? extends Message> live = client.find(kind, namespace, ref.getName());
    return live.isPresent() && kind.metadata(live.get()).getUid().equals(ref.getUid());
  }

  private void removeOwnerReferences(Message dependent, Set<String> ownerUids) {
    Kind<?> kind = Kinds.of(dependent);
    ObjectMeta meta = kind.metadata(dependent);
    List<OwnerReference> kept = meta.getOwnerReferencesList().stream()
        .filter(r -> !ownerUids.contains(r.getUid())).toList();
    if (kept.size() == meta.getOwnerReferencesCount()) {
      return;
    }
    ignoreNotFound(() -> client.update(kind.withMetadata(dependent,
        meta.toBuilder().clearOwnerReferences().addAllOwnerReferences(kept).build())));
  }

  /** Every cached object, of any kind, whose ownerReferences name {@code ownerUid}. */
  private List<Message> dependents(String ownerUid) {
    List<Message> result = new ArrayList<>();
    if (ownerUid.isEmpty()) {
      return result;
    }
    for (Lister<? extends Message> lister : listers.values()) {
      result.addAll(lister.byIndex(OwnerIndex.NAME, ownerUid));
    }
    return result;
  }

  private static void ignoreNotFound(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
