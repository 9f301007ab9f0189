package io.minik8s.controllermanager.fakeapi;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.UpdateRequest;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake API server for reconcile tests: answers the calls a controller makes through a real {@link
 * ApiClient} (over gRPC's in-process transport) and records every one that writes, as a line such as
 * {@code "update nodes n1"} or {@code "delete pods default/web grace=0 uid=u1"}, with the object sent.
 *
 * <p>Gets answer from the objects {@link #seed seeded} (the server's truth, which a test may make differ
 * from the informer cache); writes succeed and echo the object with a new resourceVersion (and a uid on
 * create) without changing what gets answer. Thread-safe (one monitor).
 */
public final class RecordingApi implements AutoCloseable {
  private final Map<String, Message> objects = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Message> written = new ArrayList<>();
  private final AtomicLong revision = new AtomicLong(1000);
  private final Server server;
  private final ManagedChannel channel;
  private final ApiClient client;

  public RecordingApi() {
    String name = "recording-api-" + UUID.randomUUID();
    try {
      server = InProcessServerBuilder.forName(name).directExecutor().addService(new Service()).build().start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    client = new ApiClient(channel, false);
  }

  public ApiClient client() {
    return client;
  }

  /** Makes {@code object} exist on the server (for gets). */
  public synchronized void seed(Message object) {
    objects.put(key(Kinds.of(object), Kinds.of(object).metadata(object)), object);
  }

  /** The write calls so far, in order. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The objects sent by create, update and updateStatus calls, in order. */
  public synchronized List<Message> written() {
    return List.copyOf(written);
  }

  /** The last object of {@code kind} written, if any. */
  public synchronized <T extends Message> Optional<T> lastWritten(Kind<T> kind) {
    for (int i = written.size() - 1; i >= 0; i--) {
      if (Kinds.of(written.get(i)) == kind) {
        return Optional.of(kind.type().cast(written.get(i)));
      }
    }
    return Optional.empty();
  }

  public synchronized void clear() {
    calls.clear();
    written.clear();
  }

  private static String key(Kind<?> kind, ObjectMeta meta) {
    return kind.resource() + " " + Store.key(meta.getNamespace(), meta.getName());
  }

  private synchronized Object write(String verb, Object envelope, boolean isCreate) {
    Kind<?> kind = Kinds.of(envelope);
    Message object = kind.unwrap(envelope);
    ObjectMeta meta = kind.metadata(object);
    calls.add(verb + " " + key(kind, meta));
    written.add(object);
    ObjectMeta.Builder b = meta.toBuilder().setResourceVersion(Long.toString(revision.incrementAndGet()));
    if (isCreate && meta.getUid().isEmpty()) {
      b.setUid(UUID.randomUUID().toString());
    }
    return kind.wrap(kind.withMetadata(object, b.build()));
  }

  private synchronized Object delete(DeleteRequest r) {
    Kind<?> kind = Kinds.byResource(r.getResource()).orElseThrow();
    StringBuilder line = new StringBuilder("delete " + kind.resource() + " " + Store.key(r.getNamespace(), r.getName()));
    if (r.hasGracePeriodSeconds()) {
      line.append(" grace=").append(r.getGracePeriodSeconds());
    }
    if (!r.getPropagationPolicy().isEmpty()) {
      line.append(" propagation=").append(r.getPropagationPolicy());
    }
    if (!r.getPreconditions().getUid().isEmpty()) {
      line.append(" uid=").append(r.getPreconditions().getUid());
    }
    calls.add(line.toString());
    Message existing = objects.get(kind.resource() + " " + Store.key(r.getNamespace(), r.getName()));
    if (existing == null) {
      existing = kind.withMetadata(kind.defaultInstance(),
          ObjectMeta.newBuilder().setNamespace(r.getNamespace()).setName(r.getName()).build());
    }
    return kind.wrap(existing);
  }

  private synchronized Object get(GetRequest r) {
    Kind<?> kind = Kinds.byResource(r.getResource()).orElseThrow();
    Message o = objects.get(kind.resource() + " " + Store.key(r.getNamespace(), r.getName()));
    if (o == null) {
      throw ApiException.notFound(kind, r.getName());
    }
    return kind.wrap(o);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private final class Service extends ApiServerGrpc.ApiServerImplBase {
    @Override
    public void create(CreateRequest request, StreamObserver<Object> response) {
      answer(response, () -> write("create", request.getObject(), true));
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<Object> response) {
      answer(response, () -> write("update", request.getObject(), false));
    }

    @Override
    public void updateStatus(UpdateRequest request, StreamObserver<Object> response) {
      answer(response, () -> write("updateStatus", request.getObject(), false));
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<Object> response) {
      answer(response, () -> RecordingApi.this.delete(request));
    }

    @Override
    public void get(GetRequest request, StreamObserver<Object> response) {
      answer(response, () -> RecordingApi.this.get(request));
    }

    private void answer(StreamObserver<Object> response, java.util.function.Supplier<Object> call) {
      Object result;
      try {
        result = call.get();
      } catch (ApiException e) {
        response.onError(e.toGrpc());
        return;
      }
      response.onNext(result);
      response.onCompleted();
    }
  }
}
