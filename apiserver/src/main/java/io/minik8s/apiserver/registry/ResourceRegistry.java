package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.apiserver.storage.Storage;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.apiserver.validation.MetadataValidation;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.nio.charset.StandardCharsets;

/**
 * Create, read, update and delete of one kind, on {@link Storage}: the generic half of the API
 * server's semantics. Kind-specific rules come from the {@link ResourceStrategy}; deletion rules
 * that depend on the kind (graceful pod deletion) from the {@link DeletionPolicy}.
 *
 * <p>Guarantees: every write is a compare-and-swap on the object's mod revision, so concurrent
 * writers never lose an update; a request that names a {@code resourceVersion} fails with Conflict
 * when the object moved on; a request without one is applied to the latest version (retried on a
 * race). {@code metadata.generation} grows only when something outside metadata and status changes.
 * Objects are stored without {@code resourceVersion}: it is the etcd mod revision, set on every read.
 *
 * <p>Thread-safe and stateless: several API servers may serve the same etcd at once.
 */
public final class ResourceRegistry<T extends Message> {
  /** Kubernetes refuses objects over 1.5 MiB (etcd's default request limit). */
  public static final int MAX_OBJECT_BYTES = 3 * 512 * 1024;
  /** The finalizer a delete with {@code propagationPolicy=Orphan} adds; the garbage collector removes it. */
  public static final String ORPHAN_FINALIZER = "orphan";
  private static final int UNCONDITIONAL_RETRIES = 16;
  /** Keys per etcd read of a list without a limit (the watch cache loads with the same). */
  static final long ETCD_PAGE_SIZE = 1_000;
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final Kind<T> kind;
  private final ResourceStrategy<T> strategy;
  private final Storage storage;
  private final Clock clock;
  private final NamespaceLifecycle namespaces;
  private final DeletionPolicy<T> deletion;
  private final ResourceAllocator<T> allocator;
  private final CachedObjects cachedObjects;
  private final SecureRandom random = new SecureRandom();

  public ResourceRegistry(ResourceStrategy<T> strategy, Storage storage, Clock clock, NamespaceLifecycle namespaces,
      DeletionPolicy<T> deletion) {
    this(strategy, storage, clock, namespaces, deletion, ResourceAllocator.none());
  }

  public ResourceRegistry(ResourceStrategy<T> strategy, Storage storage, Clock clock, NamespaceLifecycle namespaces,
      DeletionPolicy<T> deletion, ResourceAllocator<T> allocator) {
    this(strategy, storage, clock, namespaces, deletion, allocator, CachedObjects.none());
  }

  /**
   * A registry whose updates, binds and deletes start from the object in {@code cachedObjects} when it
   * has it (one etcd round trip instead of a read and a write; see {@link CachedObjects}).
   */
  public ResourceRegistry(ResourceStrategy<T> strategy, Storage storage, Clock clock, NamespaceLifecycle namespaces,
      DeletionPolicy<T> deletion, ResourceAllocator<T> allocator, CachedObjects cachedObjects) {
    this.allocator = allocator;
    this.cachedObjects = cachedObjects;
    this.kind = strategy.kind();
    this.strategy = strategy;
    this.storage = storage;
    this.clock = clock;
    this.namespaces = namespaces;
    this.deletion = deletion;
  }

  public Kind<T> kind() {
    return kind;
  }

  // ------------------------------------------------------------------ read

  public T get(String namespace, String name) {
    return find(namespace, name).orElseThrow(() -> ApiException.notFound(kind, name));
  }

  public Optional<T> find(String namespace, String name) {
    return storage.get(Keys.key(kind, ns(namespace), name)).map(this::decode);
  }

  /** One page of objects that pass {@code filter}, consistent at one etcd revision. */
  public ListPage<T> list(String namespace, Predicate<Message> filter, long limit, String continueToken) {
    String prefix = Keys.prefix(kind, namespace);
    String startAfter = "";
    long revision = 0;
    if (continueToken != null && !continueToken.isEmpty()) {
      ContinueToken token = ContinueToken.decode(continueToken);
      startAfter = token.startAfterKey();
      revision = token.revision();
    }
    List<T> items = new ArrayList<>();
    // A list without a limit still reads etcd page by page, at one revision: one etcd response with every
    // object (20,000 pods are about 10 MB) would be held whole and could pass the etcd client's message limit.
    long pageSize = limit > 0 ? Math.max(limit, 50) : ETCD_PAGE_SIZE;
    while (true) {
      Storage.Page page = storage.list(prefix, startAfter, pageSize, revision);
      revision = page.revision();
      String lastKey = startAfter;
      for (Storage.Entry e : page.entries()) {
        lastKey = e.key();
        T obj = decode(e);
        if (filter.test(obj)) {
          items.add(obj);
          if (limit > 0 && items.size() == limit) {
            boolean more = page.more() || page.entries().indexOf(e) < page.entries().size() - 1;
            return new ListPage<>(items, revision, more ? new ContinueToken(revision, e.key()).encode() : "");
          }
        }
      }
      if (!page.more()) {
        return new ListPage<>(items, revision, "");
      }
      startAfter = lastKey;
    }
  }

  // ------------------------------------------------------------------ create

  public T create(T object, boolean dryRun) {
    ObjectMeta meta = kind.metadata(object);
    String namespace = kind.namespaced() ? (meta.getNamespace().isEmpty() ? "default" : meta.getNamespace()) : "";
    boolean generated = meta.getName().isEmpty() && !meta.getGenerateName().isEmpty();
    for (int attempt = 0; ; attempt++) {
      String name = generated ? generateName(meta.getGenerateName()) : meta.getName();
      ObjectMeta.Builder m = meta.toBuilder()
          .setName(name)
          .setNamespace(namespace)
          .setUid(UUID.randomUUID().toString())
          .setCreationTimestamp(Timestamps.seconds(clock.instant()))
          .setGeneration(1)
          .clearResourceVersion()
          .clearDeletionTimestamp()
          .clearDeletionGracePeriodSeconds();
      T candidate = strategy.prepareForCreate(strategy.applyDefaults(kind.withMetadata(object, m.build())));
      validate(candidate, null);
      if (kind.namespaced()) {
        namespaces.admitCreate(namespace);
      }
      if (dryRun) {
        encode(candidate);
        return candidate;
      }
      ResourceAllocator.Reservation<T> reservation = allocator.reserve(null, candidate);
      candidate = reservation.object();
      boolean written = false;
      try {
        long revision = storage.create(Keys.key(kind, namespace, name), encode(candidate));
        written = true;
        return withResourceVersion(candidate, revision);
      } catch (ApiException e) {
        if (e.isAlreadyExists() && generated && attempt < 8) {
          continue;
        }
        if (e.isAlreadyExists()) {
          throw ApiException.alreadyExists(kind, name);
        }
        throw e;
      } finally {
        if (written) {
          reservation.commit();
        } else {
          reservation.abort();
        }
      }
    }
  }

  private String generateName(String prefix) {
    StringBuilder b = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
    for (int i = 0; i < 5; i++) {
      b.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ update

  /** Replaces metadata and spec; the status is kept as stored. */
  public T update(T object, boolean dryRun) {
    return write(object, dryRun, false);
  }

  /** Replaces the status only. */
  public T updateStatus(T object, boolean dryRun) {
    if (!kind.hasStatus()) {
      throw ApiException.badRequest(kind.kind() + " has no status");
    }
    return write(object, dryRun, true);
  }

  private T write(T requested, boolean dryRun, boolean statusOnly) {
    ObjectMeta reqMeta = kind.metadata(requested);
    String namespace = kind.namespaced() ? ns(reqMeta.getNamespace()) : "";
    String name = reqMeta.getName();
    if (name.isEmpty()) {
      throw ApiException.invalid(kind, "", new FieldErrors().required(FieldPath.root("metadata").child("name")).causes());
    }
    String key = Keys.key(kind, namespace, name);
    boolean conditional = !reqMeta.getResourceVersion().isEmpty();
    Current<T> current = dryRun ? read(key, name) : startingPoint(key, name);
    for (int attempt = 0; ; attempt++) {
      T updated;
      try {
        if (conditional && !reqMeta.getResourceVersion().equals(Long.toString(current.modRevision()))) {
          throw ApiException.conflict(kind, name,
              "the object has been modified; please apply your changes to the latest version and try again");
        }
        ObjectMeta curMeta = kind.metadata(current.object());
        if (!reqMeta.getUid().isEmpty() && !reqMeta.getUid().equals(curMeta.getUid())) {
          throw ApiException.conflict(kind, name, "Precondition failed: UID in object meta: "
              + reqMeta.getUid() + ", does not match the stored UID: " + curMeta.getUid());
        }
        updated = statusOnly ? prepareStatusUpdate(current.object(), requested)
            : prepareUpdate(current.object(), requested);
      } catch (ApiException e) {
        if (!current.suggested()) {
          throw e;
        }
        current = read(key, name); // a refusal is only final when etcd's object gives it
        continue;
      }
      if (updated.equals(current.object())) {
        if (!current.suggested()) {
          return current.object();
        }
        current = read(key, name); // nothing to write only if etcd agrees
        continue;
      }
      ObjectMeta newMeta = kind.metadata(updated);
      if (newMeta.hasDeletionTimestamp() && newMeta.getFinalizersCount() == 0 && !deletion.waitsForConfirmation(updated)) {
        // The last finalizer is gone from an object being deleted: it goes now.
        if (dryRun) {
          return updated;
        }
        try {
          long rev = storage.delete(key, current.modRevision());
          allocator.released(current.object());
          return withResourceVersion(updated, rev);
        } catch (ApiException e) {
          if (e.isConflict() && !conditional && attempt < UNCONDITIONAL_RETRIES) {
            current = read(key, name);
            continue;
          }
          throw e;
        }
      }
      if (dryRun) {
        encode(updated);
        return updated;
      }
      ResourceAllocator.Reservation<T> reservation = statusOnly
          ? ResourceAllocator.<T>none().reserve(current.object(), updated)
          : allocator.reserve(current.object(), updated);
      updated = reservation.object();
      Storage.Swap swap = null;
      try {
        swap = storage.compareAndSwap(key, encode(updated), current.modRevision());
      } finally {
        if (swap != null && swap.swapped()) {
          reservation.commit();
        } else {
          reservation.abort();
        }
      }
      if (swap.swapped()) {
        return withResourceVersion(updated, swap.revision());
      }
      // A conditional write checked its resourceVersion against the revision just swapped on: etcd moved on.
      if (conditional || attempt >= UNCONDITIONAL_RETRIES) {
        swap.current().orElseThrow(() -> ApiException.notFound(kind, name));
        throw ApiException.conflict(kind, name,
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      current = afterFailedSwap(swap, name);
    }
  }

  private T prepareUpdate(T current, T requested) {
    ObjectMeta cur = kind.metadata(current);
    ObjectMeta req = kind.metadata(requested);
    ObjectMeta.Builder m = req.toBuilder()
        .setNamespace(cur.getNamespace())
        .setUid(cur.getUid())
        .setCreationTimestamp(cur.getCreationTimestamp())
        .setGeneration(cur.getGeneration())
        .clearResourceVersion()
        .clearGenerateName();
    if (!req.getGenerateName().isEmpty() || !cur.getGenerateName().isEmpty()) {
      m.setGenerateName(cur.getGenerateName());
    }
    if (cur.hasDeletionTimestamp()) {
      m.setDeletionTimestamp(cur.getDeletionTimestamp());
    } else {
      m.clearDeletionTimestamp();
    }
    if (cur.hasDeletionGracePeriodSeconds()) {
      m.setDeletionGracePeriodSeconds(cur.getDeletionGracePeriodSeconds());
    } else {
      m.clearDeletionGracePeriodSeconds();
    }
    T updated = strategy.prepareForUpdate(current,
        strategy.applyDefaults(kind.withStatusOf(kind.withMetadata(requested, m.build()), current)));
    if (!kind.specPart(updated).equals(kind.specPart(current))) {
      updated = kind.withMetadata(updated, kind.metadata(updated).toBuilder().setGeneration(cur.getGeneration() + 1).build());
    }
    FieldErrors errs = validateInto(updated);
    strategy.validateUpdate(current, updated, errs);
    if (cur.hasDeletionTimestamp()) {
      for (String f : kind.metadata(updated).getFinalizersList()) {
        if (!cur.getFinalizersList().contains(f)) {
          errs.forbidden(FieldPath.root("metadata").child("finalizers"),
              "no new finalizers can be added if the object is being deleted, found new finalizers [\"" + f + "\"]");
        }
      }
    }
    errs.throwIfAny(kind, cur.getName());
    return updated;
  }

  private T prepareStatusUpdate(T current, T requested) {
    T updated = kind.withStatusOf(current, requested);
    FieldErrors errs = new FieldErrors();
    strategy.validateStatus(updated, errs);
    errs.throwIfAny(kind, kind.metadata(current).getName());
    return updated;
  }

  // ------------------------------------------------------------------ delete

  /**
   * Deletes an object, or marks it for deletion when something must happen first (finalizers, a
   * kubelet stopping a pod's containers). Returns the object as it is afterwards.
   */
  public T delete(String namespace, String name, Long gracePeriodSeconds, String preconditionUid,
      String preconditionResourceVersion) {
    return delete(namespace, name, gracePeriodSeconds, preconditionUid, preconditionResourceVersion, "");
  }

  /**
   * {@link #delete(String, String, Long, String, String)} with Kubernetes' {@code propagationPolicy}.
   * {@code Orphan} adds the {@value #ORPHAN_FINALIZER} finalizer to an object not yet being deleted, so
   * it is only marked: the garbage collector then removes this object's references from its dependents
   * and the finalizer, and the object goes. {@code Background} and {@code Foreground} (treated as
   * Background) leave the dependents to the garbage collector.
   */
  public T delete(String namespace, String name, Long gracePeriodSeconds, String preconditionUid,
      String preconditionResourceVersion, String propagationPolicy) {
    boolean orphan = "Orphan".equals(propagationPolicy);
    String key = Keys.key(kind, kind.namespaced() ? ns(namespace) : "", name);
    Current<T> current = startingPoint(key, name);
    for (int attempt = 0; ; attempt++) {
      Optional<T> marked;
      try {
        ObjectMeta meta = kind.metadata(current.object());
        if (preconditionUid != null && !preconditionUid.isEmpty() && !preconditionUid.equals(meta.getUid())) {
          throw ApiException.conflict(kind, name, "Precondition failed: UID in precondition: " + preconditionUid
              + ", UID in object meta: " + meta.getUid());
        }
        if (preconditionResourceVersion != null && !preconditionResourceVersion.isEmpty()
            && !preconditionResourceVersion.equals(Long.toString(current.modRevision()))) {
          throw ApiException.conflict(kind, name, "Precondition failed: ResourceVersion in precondition: "
              + preconditionResourceVersion + ", ResourceVersion in object meta: " + current.modRevision());
        }
        T toMark = current.object();
        if (orphan && !meta.hasDeletionTimestamp() && !meta.getFinalizersList().contains(ORPHAN_FINALIZER)) {
          toMark = kind.withMetadata(current.object(), meta.toBuilder().addFinalizers(ORPHAN_FINALIZER).build());
        }
        marked = deletion.markForDeletion(toMark, gracePeriodSeconds, clock.instant());
      } catch (ApiException e) {
        if (!current.suggested()) {
          throw e;
        }
        current = read(key, name);
        continue;
      }
      if (marked.isPresent()) {
        if (marked.get().equals(current.object())) {
          if (!current.suggested()) {
            return current.object();
          }
          current = read(key, name);
          continue;
        }
        Storage.Swap swap = storage.compareAndSwap(key, encode(marked.get()), current.modRevision());
        if (swap.swapped()) {
          return withResourceVersion(marked.get(), swap.revision());
        }
        if (attempt >= UNCONDITIONAL_RETRIES) {
          swap.current().orElseThrow(() -> ApiException.notFound(kind, name));
          throw ApiException.conflict(kind, name, "the object has been modified; please try again");
        }
        current = afterFailedSwap(swap, name);
        continue;
      }
      try {
        long revision = storage.delete(key, current.modRevision());
        allocator.released(current.object());
        return withResourceVersion(current.object(), revision);
      } catch (ApiException e) {
        if (e.isConflict() && attempt < UNCONDITIONAL_RETRIES) {
          current = read(key, name);
          continue;
        }
        throw e;
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Read-modify-write with compare-and-swap, retried on conflicts: for the server's own changes (binding).
   * {@code change} may throw an ApiException to refuse; it is called again on etcd's object before the
   * refusal stands when it was called on a cached one, and it may be called several times.
   */
  public T modify(String namespace, String name, java.util.function.UnaryOperator<T> change) {
    String key = Keys.key(kind, kind.namespaced() ? ns(namespace) : "", name);
    Current<T> current = startingPoint(key, name);
    for (int attempt = 0; ; attempt++) {
      T updated;
      try {
        updated = change.apply(current.object());
      } catch (ApiException e) {
        if (!current.suggested()) {
          throw e;
        }
        current = read(key, name);
        continue;
      }
      if (updated.equals(current.object())) {
        if (!current.suggested()) {
          return current.object();
        }
        current = read(key, name);
        continue;
      }
      Storage.Swap swap = storage.compareAndSwap(key, encode(updated), current.modRevision());
      if (swap.swapped()) {
        return withResourceVersion(updated, swap.revision());
      }
      if (attempt >= UNCONDITIONAL_RETRIES) {
        swap.current().orElseThrow(() -> ApiException.notFound(kind, name));
        throw ApiException.conflict(kind, name, "the object has been modified; please try again");
      }
      current = afterFailedSwap(swap, name);
    }
  }

  /**
   * The object a read-modify-write starts from and the mod revision its compare-and-swap expects;
   * {@code suggested} when it came from the cache, which may be behind etcd: then no refusal and no
   * "nothing to change" is final until etcd's object confirms it.
   */
  private record Current<T>(T object, long modRevision, boolean suggested) {}

  /** The cache's object when it has one (no etcd read), else etcd's. NotFound when etcd has none. */
  private Current<T> startingPoint(String key, String name) {
    Optional<CachedObjects.Cached> cached = cachedObjects.find(kind, key);
    if (cached.isPresent() && kind.type().isInstance(cached.get().object())) {
      return new Current<>(kind.type().cast(cached.get().object()), cached.get().modRevision(), true);
    }
    return read(key, name);
  }

  private Current<T> read(String key, String name) {
    Storage.Entry entry = storage.get(key).orElseThrow(() -> ApiException.notFound(kind, name));
    return new Current<>(decode(entry), entry.modRevision(), false);
  }

  /** What etcd held when a compare-and-swap failed (read in the same round trip). NotFound when it is gone. */
  private Current<T> afterFailedSwap(Storage.Swap swap, String name) {
    Storage.Entry entry = swap.current().orElseThrow(() -> ApiException.notFound(kind, name));
    return new Current<>(decode(entry), entry.modRevision(), false);
  }

  private void validate(T object, T old) {
    FieldErrors errs = validateInto(object);
    errs.throwIfAny(kind, kind.metadata(object).getName());
  }

  private FieldErrors validateInto(T object) {
    FieldErrors errs = new FieldErrors();
    MetadataValidation.validate(kind.metadata(object), strategy::validateName, kind.namespaced(), errs);
    strategy.validate(object, errs);
    return errs;
  }

  private byte[] encode(T object) {
    ObjectMeta meta = kind.metadata(object);
    // Objects are stored without resourceVersion; most writes (creates) have none, so no copy is made.
    Message stored = meta.getResourceVersion().isEmpty() ? object
        : kind.withMetadata(object, meta.toBuilder().clearResourceVersion().build());
    byte[] bytes = stored.toByteArray();
    if (bytes.length > MAX_OBJECT_BYTES) {
      throw ApiException.tooLarge("Request entity too large: " + kind.kind() + " \"" + kind.metadata(object).getName()
          + "\" is " + bytes.length + " bytes, the limit is " + MAX_OBJECT_BYTES);
    }
    return bytes;
  }

  /** Decodes a stored value and sets its resourceVersion to the entry's mod revision. */
  public T decode(Storage.Entry entry) {
    return withResourceVersion(kind.parse(entry.value()), entry.modRevision());
  }

  public T withResourceVersion(T object, long revision) {
    return kind.withMetadata(object, kind.metadata(object).toBuilder().setResourceVersion(Long.toString(revision)).build());
  }

  private static String ns(String namespace) {
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  /** One page of a list. */
  public record ListPage<T>(List<T> items, long revision, String continueToken) {}

  /** The opaque continue token: the revision of the first page and the last key returned. */
  record ContinueToken(long revision, String startAfterKey) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((revision + ":" + startAfterKey).getBytes(StandardCharsets.UTF_8));
    }

    static ContinueToken decode(String token) {
      try {
        String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        return new ContinueToken(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("invalid continue token: " + token);
      }
    }
  }
}
