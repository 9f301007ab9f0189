package io.minik8s.kubelet.testing;

import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.api.ApiClient;
import io.minik8s.testkit.InProcessApi;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few API calls a node's heartbeats make (get, create, update, update status), over gRPC's
 * in-process transport so the code under test uses a real {@link ApiClient}. Objects are kept per
 * kind/namespace/name with a resourceVersion from one counter; an update that carries a
 * resourceVersion is a compare-and-swap (Conflict when stale), as on the real server. Every call is
 * logged as {@code "<verb> <resource> <name>"}. Thread-safe (every call holds the monitor).
 */
public final class FakeApiServer extends ApiServerGrpc.ApiServerImplBase implements AutoCloseable {
  private final Map<String, Object> objects = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final InProcessApi api;
  private long revision = 100;

  public FakeApiServer() {
    api = InProcessApi.serve(this);
  }

  public ApiClient client() {
    return api.client();
  }

  /** The calls so far, in order, and forgets them. */
  public synchronized List<String> takeCalls() {
    List<String> c = List.copyOf(calls);
    calls.clear();
    return c;
  }

  public synchronized <T extends Message> Optional<T> stored(Kind<T> kind, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(kind, namespace, name))).map(kind::unwrap);
  }

  /** Someone else writes {@code object} (its resourceVersion moves on). */
  public synchronized <T extends Message> void overwrite(T object) {
    Kind<?> kind = Kinds.of(object);
    ObjectMeta m = kind.metadata(object);
    objects.put(key(kind, m.getNamespace(), m.getName()), kind.wrap(kind.withMetadata(object,
        m.toBuilder().setResourceVersion(Long.toString(++revision)).build())));
  }

  @Override
  public synchronized void get(GetRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    calls.add("get " + kind.resource() + " " + request.getName());
    Object o = objects.get(key(kind, request.getNamespace(), request.getName()));
    if (o == null) {
      response.onError(ApiException.notFound(kind, request.getName()).toGrpc());
      return;
    }
    response.onNext(o);
    response.onCompleted();
  }

  @Override
  public synchronized void create(CreateRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.of(request.getObject());
    Message object = kind.unwrap(request.getObject());
    ObjectMeta m = kind.metadata(object);
    calls.add("create " + kind.resource() + " " + m.getName());
    String key = key(kind, m.getNamespace(), m.getName());
    if (objects.containsKey(key)) {
      response.onError(ApiException.alreadyExists(kind, m.getName()).toGrpc());
      return;
    }
    Object stored = kind.wrap(kind.withMetadata(object, m.toBuilder().setUid("uid-" + m.getName())
        .setResourceVersion(Long.toString(++revision)).build()));
    objects.put(key, stored);
    response.onNext(stored);
    response.onCompleted();
  }

  @Override
  public synchronized void update(UpdateRequest request, StreamObserver<Object> response) {
    write("update", request, response);
  }

  @Override
  public synchronized void updateStatus(UpdateRequest request, StreamObserver<Object> response) {
    write("status", request, response);
  }

  private void write(String verb, UpdateRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.of(request.getObject());
    Message object = kind.unwrap(request.getObject());
    ObjectMeta m = kind.metadata(object);
    calls.add(verb + " " + kind.resource() + " " + m.getName());
    String key = key(kind, m.getNamespace(), m.getName());
    Object current = objects.get(key);
    if (current == null) {
      response.onError(ApiException.notFound(kind, m.getName()).toGrpc());
      return;
    }
    String currentVersion = kind.metadata(kind.unwrap(current)).getResourceVersion();
    if (!m.getResourceVersion().isEmpty() && !m.getResourceVersion().equals(currentVersion)) {
      response.onError(ApiException.conflict(kind, m.getName(), "the object has been modified").toGrpc());
      return;
    }
    Object stored = kind.wrap(kind.withMetadata(object,
        m.toBuilder().setResourceVersion(Long.toString(++revision)).build()));
    objects.put(key, stored);
    response.onNext(stored);
    response.onCompleted();
  }

  private static String key(Kind<?> kind, String namespace, String name) {
    return kind.resource() + " " + namespace + "/" + name;
  }

  @Override
  public void close() {
    api.close();
  }
}
