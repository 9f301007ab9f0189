package io.minik8s.cli;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.BindRequest;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectList;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.StatusCause;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.VersionInfo;
import io.minik8s.api.VersionRequest;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.selector.LabelSelector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An API server in a map, for mkctl's unit tests: enough of the real one's contract (uids,
 * resourceVersions with compare-and-swap, Status errors, list + watch from a version, graceful pod
 * deletion on request) to exercise the commands, and a log of the calls that change something.
 *
 * <p>Thread-safe: every call holds the monitor, and watch events are sent under it, in order.
 */
final class FakeApiServer extends ApiServerGrpc.ApiServerImplBase {
  private final TreeMap<String, Object> store = new TreeMap<>();
  private final List<WatchEvent> history = new ArrayList<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private final Instant now;
  private long revision = 100;
  private long compactedBelow = 0;
  private boolean gracefulPodDeletion;
  private Runnable beforeNextUpdate;
  private boolean refuseWatchFieldSelectors;

  private record Watcher(WatchRequest request, StreamObserver<WatchEvent> stream) {}

  FakeApiServer(Instant now) {
    this.now = now;
  }

  /** "create pods/default/web", "update ...", "delete ...": every call that would change the store. */
  List<String> writes() {
    return writes;
  }

  /** Pods are marked for deletion instead of removed, until {@link #finishDeletion} (as with a kubelet). */
  synchronized void gracefulPodDeletion(boolean on) {
    gracefulPodDeletion = on;
  }

  /** Answers BadRequest to watches with a field selector (as a server that supports none would). */
  synchronized void refuseWatchFieldSelectors(boolean on) {
    refuseWatchFieldSelectors = on;
  }

  /** Runs {@code action} at the start of the next update call (to simulate a racing writer). */
  synchronized void beforeNextUpdate(Runnable action) {
    beforeNextUpdate = action;
  }

  /** Forgets history up to now: a watch from an older version gets Expired. */
  synchronized void compact() {
    compactedBelow = revision;
    history.clear();
  }

  /** Stores an object as another component would (no validation); returns it as stored. */
  synchronized <T extends Message> T put(T object) {
    Kind<?> kind = Kinds.of(object);
    ObjectMeta metadata = kind.metadata(object);
    String key = key(kind, metadata.getNamespace(), metadata.getName());
    Object existing = store.get(key);
    ObjectMeta.Builder meta = metadata.toBuilder().setResourceVersion(Long.toString(++revision));
    if (meta.getUid().isEmpty()) {
      meta.setUid(existing != null ? kind.metadata(kind.unwrap(existing)).getUid() : UUID.randomUUID().toString());
    }
    if (!meta.hasCreationTimestamp()) {
      meta.setCreationTimestamp(ts(now));
    }
    Message stored = kind.withMetadata(object, meta.build());
    store.put(key, kind.wrap(stored));
    publish(existing == null ? "ADDED" : "MODIFIED", kind.wrap(stored));
    @SuppressWarnings("unchecked")
    T result = (T) stored;
    return result;
  }

  synchronized <T extends Message> Optional<T> stored(Kind<T> kind, String namespace, String name) {
    Object o = store.get(key(kind, namespace, name));
    return o == null ? Optional.empty() : Optional.of(kind.unwrap(o));
  }

  /** Removes a pod marked for deletion, as its kubelet would once the containers stopped. */
  synchronized void finishDeletion(Kind<?> kind, String namespace, String name) {
    Object removed = store.remove(key(kind, namespace, name));
    if (removed != null) {
      publish("DELETED", withVersion(removed, ++revision));
    }
  }

  @Override
  public synchronized void create(CreateRequest request, StreamObserver<Object> response) {
    try {
      Kind<?> kind = Kinds.of(request.getObject());
      Message object = kind.unwrap(request.getObject());
      ObjectMeta metadata = kind.metadata(object);
      writes.add("create " + key(kind, metadata.getNamespace(), metadata.getName()));
      validate(kind, object);
      String key = key(kind, metadata.getNamespace(), metadata.getName());
      if (store.containsKey(key)) {
        throw ApiException.alreadyExists(kind, metadata.getName());
      }
      ObjectMeta.Builder meta = metadata.toBuilder().setUid(UUID.randomUUID().toString())
          .setResourceVersion(Long.toString(++revision)).setCreationTimestamp(ts(now));
      Object stored = kind.wrap(kind.withMetadata(object, meta.build()));
      store.put(key, stored);
      publish("ADDED", stored);
      response.onNext(stored);
      response.onCompleted();
    } catch (ApiException e) {
      response.onError(e.toGrpc());
    }
  }

  @Override
  public synchronized void get(GetRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    Object o = store.get(key(kind, request.getNamespace(), request.getName()));
    if (o == null) {
      response.onError(ApiException.notFound(kind, request.getName()).toGrpc());
      return;
    }
    response.onNext(o);
    response.onCompleted();
  }

  @Override
  public synchronized void list(ListRequest request, StreamObserver<ObjectList> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    ObjectList.Builder list = ObjectList.newBuilder().setResourceVersion(Long.toString(revision));
    for (Object o : store.values()) {
      if (matches(kind, o, request.getNamespace(), request.getLabelSelector(), request.getFieldSelector())) {
        list.addItems(o);
      }
    }
    response.onNext(list.build());
    response.onCompleted();
  }

  @Override
  public synchronized void update(UpdateRequest request, StreamObserver<Object> response) {
    if (beforeNextUpdate != null) {
      Runnable action = beforeNextUpdate;
      beforeNextUpdate = null;
      action.run();
    }
    try {
      Kind<?> kind = Kinds.of(request.getObject());
      Message object = kind.unwrap(request.getObject());
      ObjectMeta metadata = kind.metadata(object);
      String key = key(kind, metadata.getNamespace(), metadata.getName());
      writes.add("update " + key);
      validate(kind, object);
      Object existing = store.get(key);
      if (existing == null) {
        throw ApiException.notFound(kind, metadata.getName());
      }
      Message current = kind.unwrap(existing);
      ObjectMeta currentMeta = kind.metadata(current);
      if (!metadata.getResourceVersion().isEmpty()
          && !metadata.getResourceVersion().equals(currentMeta.getResourceVersion())) {
        throw ApiException.conflict(kind, metadata.getName(),
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      // As the real server: status is not written by update; identity fields are the server's.
      Message updated = kind.withStatusOf(object, current);
      ObjectMeta.Builder meta = metadata.toBuilder().setUid(currentMeta.getUid())
          .setCreationTimestamp(currentMeta.getCreationTimestamp()).setResourceVersion(Long.toString(++revision));
      Object stored = kind.wrap(kind.withMetadata(updated, meta.build()));
      store.put(key, stored);
      publish("MODIFIED", stored);
      response.onNext(stored);
      response.onCompleted();
    } catch (ApiException e) {
      response.onError(e.toGrpc());
    }
  }

  @Override
  public synchronized void delete(DeleteRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    String key = key(kind, request.getNamespace(), request.getName());
    writes.add("delete " + key + (request.hasGracePeriodSeconds() ? " grace=" + request.getGracePeriodSeconds() : "")
        + (request.getPropagationPolicy().isEmpty() ? "" : " " + request.getPropagationPolicy()));
    Object existing = store.get(key);
    if (existing == null) {
      response.onError(ApiException.notFound(kind, request.getName()).toGrpc());
      return;
    }
    boolean immediate = request.hasGracePeriodSeconds() && request.getGracePeriodSeconds() == 0;
    if (kind == Kinds.POD && gracefulPodDeletion && !immediate) {
      Pod pod = Kinds.POD.unwrap(existing);
      if (!pod.getMetadata().hasDeletionTimestamp()) {
        pod = pod.toBuilder().setMetadata(pod.getMetadata().toBuilder().setDeletionTimestamp(ts(now))
            .setDeletionGracePeriodSeconds(30).setResourceVersion(Long.toString(++revision))).build();
        store.put(key, Kinds.POD.wrap(pod));
        publish("MODIFIED", Kinds.POD.wrap(pod));
      }
      response.onNext(Kinds.POD.wrap(pod));
    } else {
      store.remove(key);
      Object gone = withVersion(existing, ++revision);
      publish("DELETED", gone);
      response.onNext(gone);
    }
    response.onCompleted();
  }

  @Override
  public synchronized void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
    if (refuseWatchFieldSelectors && !request.getFieldSelector().isEmpty()) {
      response.onError(ApiException.badRequest("field selectors are not supported").toGrpc());
      return;
    }
    long from = request.getResourceVersion().isEmpty() ? 0 : Long.parseLong(request.getResourceVersion());
    if (from != 0 && from < compactedBelow) {
      response.onError(ApiException.expired("too old resource version: " + from + " (" + compactedBelow + ")").toGrpc());
      return;
    }
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    Watcher watcher = new Watcher(request, response);
    if (from == 0) {
      for (Object o : store.values()) {
        if (matches(kind, o, request.getNamespace(), request.getLabelSelector(), request.getFieldSelector())) {
          response.onNext(WatchEvent.newBuilder().setType("ADDED").setObject(o).build());
        }
      }
    } else {
      for (WatchEvent e : history) {
        if (version(e.getObject()) > from && deliverable(watcher, e)) {
          response.onNext(e);
        }
      }
    }
    ((ServerCallStreamObserver<WatchEvent>) response).setOnCancelHandler(() -> watchers.remove(watcher));
    watchers.add(watcher);
  }

  /**
   * Ends every open watch with Expired, as a server whose history was compacted, after making
   * {@code missedChanges}: the watchers never see them, a re-list does.
   */
  synchronized void expireWatches(Runnable missedChanges) {
    List<Watcher> closing = new ArrayList<>(watchers);
    watchers.clear();
    missedChanges.run();
    compact();
    for (Watcher w : closing) {
      w.stream().onError(ApiException.expired("watch expired").toGrpc());
    }
  }

  synchronized int openWatches() {
    return watchers.size();
  }

  @Override
  public void bind(BindRequest request, StreamObserver<Object> response) {
    response.onError(io.grpc.Status.UNIMPLEMENTED.asRuntimeException());
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionInfo> response) {
    response.onNext(VersionInfo.newBuilder().setGitVersion("v0.1.0-fake").setPlatform("linux/amd64")
        .setJavaVersion("17").build());
    response.onCompleted();
  }

  private void publish(String type, Object object) {
    WatchEvent event = WatchEvent.newBuilder().setType(type).setObject(object).build();
    history.add(event);
    for (Watcher w : watchers) {
      if (deliverable(w, event)) {
        w.stream().onNext(event);
      }
    }
  }

  private boolean deliverable(Watcher w, WatchEvent event) {
    Kind<?> kind = Kinds.of(event.getObject());
    return kind.resource().equals(w.request().getResource()) && matches(kind, event.getObject(),
        w.request().getNamespace(), w.request().getLabelSelector(), w.request().getFieldSelector());
  }

  private static boolean matches(Kind<?> kind, Object o, String namespace, String labelSelector, String fieldSelector) {
    if (Kinds.of(o) != kind) {
      return false;
    }
    Message m = kind.unwrap(o);
    ObjectMeta metadata = kind.metadata(m);
    if (!namespace.isEmpty() && !namespace.equals(metadata.getNamespace())) {
      return false;
    }
    if (!LabelSelector.parse(labelSelector).matches(metadata.getLabelsMap())) {
      return false;
    }
    for (String term : fieldSelector.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      String[] kv = term.split("=", 2);
      String actual;
      switch (kv[0]) {
        case "metadata.name": actual = metadata.getName(); break;
        case "metadata.namespace": actual = metadata.getNamespace(); break;
        case "spec.nodeName": actual = m instanceof Pod ? ((Pod) m).getSpec().getNodeName() : ""; break;
        default: throw ApiException.badRequest("field label not supported: " + kv[0]).toGrpc();
      }
      if (!actual.equals(kv[1])) {
        return false;
      }
    }
    return true;
  }

  private static void validate(Kind<?> kind, Message object) {
    if (kind == Kinds.POD) {
      Pod pod = (Pod) object;
      List<StatusCause> causes = new ArrayList<>();
      if (pod.getSpec().getContainersCount() == 0) {
        causes.add(StatusCause.newBuilder().setField("spec.containers").setMessage("Required value").build());
      }
      for (int i = 0; i < pod.getSpec().getContainersCount(); i++) {
        if (pod.getSpec().getContainers(i).getImage().isEmpty()) {
          causes.add(StatusCause.newBuilder().setField("spec.containers[" + i + "].image")
              .setMessage("Required value").build());
        }
      }
      if (!causes.isEmpty()) {
        throw ApiException.invalid(kind, pod.getMetadata().getName(), causes);
      }
    }
  }

  private static Object withVersion(Object o, long version) {
    Kind<?> kind = Kinds.of(o);
    Message m = kind.unwrap(o);
    return kind.wrap(kind.withMetadata(m, kind.metadata(m).toBuilder().setResourceVersion(Long.toString(version)).build()));
  }

  private static long version(Object o) {
    Kind<?> kind = Kinds.of(o);
    return Long.parseLong(kind.metadata(kind.unwrap(o)).getResourceVersion());
  }

  private static String key(Kind<?> kind, String namespace, String name) {
    return kind.resource() + "/" + (kind.namespaced() ? namespace : "") + "/" + name;
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  Map<String, Object> snapshot() {
    synchronized (this) {
      return new TreeMap<>(store);
    }
  }
}
