package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.Namespace;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.apiserver.registry.apps.DeploymentStrategy;
import io.minik8s.apiserver.registry.apps.ReplicaSetStrategy;
import io.minik8s.apiserver.registry.core.EndpointsStrategy;
import io.minik8s.apiserver.registry.core.EventStrategy;
import io.minik8s.apiserver.registry.core.LeaseStrategy;
import io.minik8s.apiserver.registry.core.NamespaceDeletion;
import io.minik8s.apiserver.registry.core.NamespaceStrategy;
import io.minik8s.apiserver.registry.core.NodeStrategy;
import io.minik8s.apiserver.registry.core.ServiceStrategy;
import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.registry.core.allocation.ServiceAllocator;
import io.minik8s.apiserver.registry.pods.GracefulPodDeletion;
import io.minik8s.apiserver.registry.pods.PodStrategy;
import io.minik8s.apiserver.storage.Storage;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One {@link ResourceRegistry} per kind, wired with its strategy and deletion policy. */
public final class Registries implements NamespaceLifecycle {
  private final Map<Kind<?>, ResourceRegistry<?>> byKind = new LinkedHashMap<>();
  private final ResourceRegistry<Namespace> namespaces;
  private final ResourceRegistry<Pod> pods;
  private final Clock clock;
  private final NamespaceCache namespaceCache;
  private final CachedObjects cachedObjects;

  /** Registries whose Services get cluster IPs and node ports from the default ranges; no namespace cache. */
  public Registries(Storage storage, Clock clock) {
    this(storage, clock, new ServiceAllocator(storage, Ipv4Range.parse("10.96.0.0/12"), PortRange.parse("30000-32767")));
  }

  /** Registries without a namespace cache: admission reads every namespace from etcd. */
  public Registries(Storage storage, Clock clock, ServiceAllocator serviceAllocator) {
    this(storage, clock, serviceAllocator, NamespaceCache.none());
  }

  /** Registries whose admission of creates reads namespaces from {@code namespaceCache} first (see {@link #admitCreate}). */
  public Registries(Storage storage, Clock clock, ServiceAllocator serviceAllocator, NamespaceCache namespaceCache) {
    this(storage, clock, serviceAllocator, namespaceCache, CachedObjects.none());
  }

  /**
   * Registries whose admission reads namespaces from {@code namespaceCache} and whose updates, binds and
   * deletes take the current object from {@code cachedObjects} as a suggestion (see {@link CachedObjects}).
   */
  public Registries(Storage storage, Clock clock, ServiceAllocator serviceAllocator, NamespaceCache namespaceCache,
      CachedObjects cachedObjects) {
    this.clock = clock;
    this.cachedObjects = cachedObjects;
    this.namespaceCache = namespaceCache;
    this.namespaces = register(new ResourceRegistry<>(new NamespaceStrategy(), storage, clock, this,
        new NamespaceDeletion(), ResourceAllocator.none(), cachedObjects));
    this.pods = register(new ResourceRegistry<>(new PodStrategy(), storage, clock, this, new GracefulPodDeletion(),
        ResourceAllocator.none(), cachedObjects));
    registerDefault(new NodeStrategy(), storage);
    ServiceStrategy serviceStrategy = new ServiceStrategy();
    register(new ResourceRegistry<>(serviceStrategy, storage, clock, this,
        DeletionPolicy.finalizers(serviceStrategy.kind()), serviceAllocator, cachedObjects));
    registerDefault(new EndpointsStrategy(), storage);
    registerDefault(new ReplicaSetStrategy(), storage);
    registerDefault(new DeploymentStrategy(), storage);
    registerDefault(new LeaseStrategy(), storage);
    registerDefault(new EventStrategy(), storage);
  }

  private <T extends Message> void registerDefault(ResourceStrategy<T> strategy, Storage storage) {
    register(new ResourceRegistry<>(strategy, storage, clock, this, DeletionPolicy.finalizers(strategy.kind()),
        ResourceAllocator.none(), cachedObjects));
  }

  private <T extends Message> ResourceRegistry<T> register(ResourceRegistry<T> registry) {
    byKind.put(registry.kind(), registry);
    return registry;
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> ResourceRegistry<T> of(Kind<T> kind) {
    return (ResourceRegistry<T>) byKind.get(kind);
  }

  /** The registry of a resource named in a request; BadRequest for an unknown one. */
  public ResourceRegistry<?> forResource(String resource) {
    return Kinds.byResource(resource).map(byKind::get)
        .orElseThrow(() -> ApiException.of("NotFound", 404, "the server could not find the requested resource \""
            + resource + "\""));
  }

  public ResourceRegistry<Namespace> namespaces() {
    return namespaces;
  }

  public ResourceRegistry<Pod> pods() {
    return pods;
  }

  /**
   * Admits a create into {@code namespace} when it exists and is not terminating. A namespace the cache
   * holds as active is taken at its word, with no etcd read (one round trip less per create); a namespace
   * the cache does not have (just created) or holds as terminating is read from etcd, which decides.
   *
   * <p>What the cache's lag allows, as in Kubernetes (whose admission reads an informer's cache too): a
   * create that arrives within the watch's delay after its namespace was marked for deletion is admitted.
   * The namespace finalizer lists the namespace's content again on every pass until nothing is left, so such
   * an object is deleted with the rest and the namespace still goes.
   */
  @Override
  public void admitCreate(String namespace) {
    Optional<Namespace> cached = namespaceCache.find(namespace);
    if (cached.isPresent() && !cached.get().getMetadata().hasDeletionTimestamp()) {
      return;
    }
    Namespace ns = namespaces.find("", namespace)
        .orElseThrow(() -> ApiException.notFound(Kinds.NAMESPACE, namespace));
    if (ns.getMetadata().hasDeletionTimestamp()) {
      throw ApiException.forbidden("unable to create new content in namespace " + namespace
          + " because it is being terminated");
    }
  }

  /**
   * The pods/binding call: sets the node of an unscheduled pod and marks it scheduled. Conflict when
   * the pod is already bound or is being deleted.
   */
  public Pod bind(String namespace, String name, String nodeName, String uid) {
    if (nodeName.isEmpty()) {
      throw ApiException.badRequest("binding target node name is required");
    }
    return pods.modify(namespace, name, pod -> {
      if (!uid.isEmpty() && !uid.equals(pod.getMetadata().getUid())) {
        throw ApiException.conflict(Kinds.POD, name, "Precondition failed: UID in precondition: " + uid
            + ", UID in object meta: " + pod.getMetadata().getUid());
      }
      if (!pod.getSpec().getNodeName().isEmpty()) {
        throw ApiException.conflict(Kinds.POD, name, "pod " + name + " is already assigned to node \""
            + pod.getSpec().getNodeName() + "\"");
      }
      if (pod.getMetadata().hasDeletionTimestamp()) {
        throw ApiException.conflict(Kinds.POD, name, "pod " + name + " is being deleted, cannot be assigned to a host");
      }
      Pod.Builder b = pod.toBuilder();
      b.getSpecBuilder().setNodeName(nodeName);
      PodCondition scheduled = PodCondition.newBuilder().setType("PodScheduled").setStatus("True")
          .setLastTransitionTime(Timestamps.seconds(clock.instant())).build();
      b.getStatusBuilder().clearConditions();
      b.getStatusBuilder().addConditions(scheduled);
      for (PodCondition c : pod.getStatus().getConditionsList()) {
        if (!c.getType().equals("PodScheduled")) {
          b.getStatusBuilder().addConditions(c);
        }
      }
      return b.build();
    });
  }

  /** Creates {@code default} and {@code kube-system} when they are missing. Safe with several API servers. */
  public void ensureSystemNamespaces() {
    for (String name : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
      if (namespaces.find("", name).isEmpty()) {
        try {
          namespaces.create(Namespace.newBuilder().setMetadata(
              io.minik8s.api.ObjectMeta.newBuilder().setName(name)).build(), false);
        } catch (ApiException e) {
          if (!e.isAlreadyExists()) {
            throw e;
          }
        }
      }
    }
  }
}
