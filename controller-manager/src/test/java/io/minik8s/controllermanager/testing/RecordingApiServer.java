package io.minik8s.controllermanager.testing;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.Event;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.api.ApiClient;
import io.minik8s.testkit.InProcessApi;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API as a controller's unit test sees it: a map that accepts creates (naming {@code generateName}
 * objects {@code <prefix>00001}, ...), updates, status updates and deletes, and a log of them as
 * {@code "create pods ns/name"}, {@code "update ..."}, {@code "status ..."}, {@code "delete ..."}
 * (Events are kept apart, as their reasons). Served over gRPC's in-process transport, so the
 * controller under test uses a real {@link ApiClient}. No watch: tests feed the informer stores.
 * Thread-safe (every call holds the monitor).
 */
public final class RecordingApiServer extends ApiServerGrpc.ApiServerImplBase implements AutoCloseable {
  private final Map<String, Object> objects = new HashMap<>();
  private final List<String> writes = new ArrayList<>();
  private final List<String> eventReasons = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, ApiException> failures = new HashMap<>();
  private final InProcessApi api;
  private long revision = 1000;
  private int generated;

  public RecordingApiServer() {
    api = InProcessApi.serve(this);
  }

  public ApiClient client() {
    return api.client();
  }

  /** The writes so far, in order, and forgets them. */
  public synchronized List<String> takeWrites() {
    List<String> w = List.copyOf(writes);
    writes.clear();
    return w;
  }

  public synchronized List<String> eventReasons() {
    return List.copyOf(eventReasons);
  }

  /** The Events created or updated so far, as sent. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Makes the next write described as {@code write} (e.g. "create pods") fail with {@code error}. */
  public synchronized void failNext(String write, ApiException error) {
    failures.put(write, error);
  }

  /** Stores an object as if it existed on the server (so updates of it succeed). */
  public synchronized <T extends Message> void seed(T object) {
    Kind<?> kind = Kinds.of(object);
    objects.put(key(kind, kind.metadata(object)), kind.wrap(object));
  }

  public synchronized <T extends Message> Optional<T> stored(Kind<T> kind, String namespace, String name) {
    return Optional.ofNullable(objects.get(kind.resource() + " " + namespace + "/" + name)).map(kind::unwrap);
  }

  /** The last object written by create/update/updateStatus, as the controller sent it. */
  public synchronized List<Message> written(Kind<?> kind) {
    return sent.stream().filter(m -> Kinds.of(m) == kind).toList();
  }

  private final List<Message> sent = new ArrayList<>();

  private static String key(Kind<?> kind, ObjectMeta m) {
    return kind.resource() + " " + m.getNamespace() + "/" + m.getName();
  }

  private void failIfAsked(String write) {
    ApiException e = failures.remove(write);
    if (e != null) {
      throw e;
    }
  }

  @Override
  public synchronized void create(CreateRequest request, StreamObserver<Object> response) {
    try {
      Kind<?> kind = Kinds.of(request.getObject());
      Message object = kind.unwrap(request.getObject());
      ObjectMeta.Builder meta = kind.metadata(object).toBuilder();
      if (meta.getName().isEmpty()) {
        meta.setName(meta.getGenerateName() + String.format("%05d", ++generated));
      }
      if (kind == Kinds.EVENT) {
        eventReasons.add(((Event) object).getReason());
        events.add((Event) object);
      } else {
        writes.add("create " + kind.resource() + " " + meta.getNamespace() + "/" + meta.getName());
        sent.add(object);
        failIfAsked("create " + kind.resource());
      }
      meta.setUid("uid-" + meta.getName()).setResourceVersion(Long.toString(++revision))
          .setCreationTimestamp(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()));
      Object stored = kind.wrap(kind.withMetadata(object, meta.build()));
      objects.put(key(kind, meta.build()), stored);
      response.onNext(stored);
      response.onCompleted();
    } catch (ApiException e) {
      response.onError(e.toGrpc());
    }
  }

  @Override
  public synchronized void get(GetRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    Object o = objects.get(kind.resource() + " " + request.getNamespace() + "/" + request.getName());
    if (o == null) {
      response.onError(ApiException.notFound(kind, request.getName()).toGrpc());
    } else {
      response.onNext(o);
      response.onCompleted();
    }
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
    try {
      Kind<?> kind = Kinds.of(request.getObject());
      Message object = kind.unwrap(request.getObject());
      ObjectMeta m = kind.metadata(object);
      if (kind == Kinds.EVENT) {
        eventReasons.add(((Event) object).getReason());
        events.add((Event) object);
      } else {
        writes.add(verb + " " + kind.resource() + " " + m.getNamespace() + "/" + m.getName());
        sent.add(object);
        failIfAsked(verb + " " + kind.resource());
      }
      Object stored = kind.wrap(kind.withMetadata(object,
          m.toBuilder().setResourceVersion(Long.toString(++revision)).build()));
      objects.put(key(kind, m), stored);
      response.onNext(stored);
      response.onCompleted();
    } catch (ApiException e) {
      response.onError(e.toGrpc());
    }
  }

  @Override
  public synchronized void delete(DeleteRequest request, StreamObserver<Object> response) {
    Kind<?> kind = Kinds.byResource(request.getResource()).orElseThrow();
    writes.add("delete " + kind.resource() + " " + request.getNamespace() + "/" + request.getName());
    try {
      failIfAsked("delete " + kind.resource());
      Object gone = objects.remove(kind.resource() + " " + request.getNamespace() + "/" + request.getName());
      if (gone == null) {
        throw ApiException.notFound(kind, request.getName());
      }
      response.onNext(gone);
      response.onCompleted();
    } catch (ApiException e) {
      response.onError(e.toGrpc());
    }
  }

  @Override
  public void close() {
    api.close();
  }
}
