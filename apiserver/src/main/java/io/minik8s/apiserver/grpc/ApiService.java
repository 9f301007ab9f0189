package io.minik8s.apiserver.grpc;

import com.google.protobuf.Message;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.BindRequest;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.LogChunk;
import io.minik8s.api.LogsRequest;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectList;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.VersionInfo;
import io.minik8s.api.VersionRequest;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.apiserver.registry.core.NamespaceFinalizer;
import io.minik8s.apiserver.logs.PodLogProxy;
import io.minik8s.apiserver.watch.WatchHub;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The gRPC face of the API: translates requests into registry calls and registry results and
 * errors into responses. No API semantics live here.
 */
public final class ApiService extends ApiServerGrpc.ApiServerImplBase {
  private static final List<String> PROPAGATION = List.of("", "Background", "Foreground", "Orphan");

  private final Registries registries;
  private final WatchHub watches;
  private final NamespaceFinalizer namespaceFinalizer;
  private final VersionInfo version;
  private final PodLogProxy logs;

  public ApiService(Registries registries, WatchHub watches, NamespaceFinalizer namespaceFinalizer, VersionInfo version,
      PodLogProxy logs) {
    this.registries = registries;
    this.logs = logs;
    this.watches = watches;
    this.namespaceFinalizer = namespaceFinalizer;
    this.version = version;
  }

  @Override
  public void create(CreateRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Message obj = unwrap(request.getObject());
      return create(Kinds.of(obj), obj, request.getDryRun());
    });
  }

  private <T extends Message> Object create(Kind<T> kind, Message obj, boolean dryRun) {
    return kind.wrap(registries.of(kind).create(kind.type().cast(obj), dryRun));
  }

  @Override
  public void get(GetRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      ResourceRegistry<?> registry = registries.forResource(request.getResource());
      return registry.kind().wrap(registry.get(request.getNamespace(), request.getName()));
    });
  }

  @Override
  public void list(ListRequest request, StreamObserver<ObjectList> response) {
    unary(response, () -> list(registries.forResource(request.getResource()), request));
  }

  private <T extends Message> ObjectList list(ResourceRegistry<T> registry, ListRequest request) {
    Predicate<Message> filter = ObjectFilter.of(registry.kind(), request.getNamespace(), request.getLabelSelector(),
        request.getFieldSelector());
    ResourceRegistry.ListPage<T> page = registry.list(request.getNamespace(), filter, request.getLimit(),
        request.getContinue());
    ObjectList.Builder b = ObjectList.newBuilder().setResourceVersion(Long.toString(page.revision()))
        .setContinue(page.continueToken());
    for (T item : page.items()) {
      b.addItems(registry.kind().wrap(item));
    }
    return b.build();
  }

  @Override
  public void update(UpdateRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Message obj = unwrap(request.getObject());
      return update(Kinds.of(obj), obj, request.getDryRun(), false);
    });
  }

  @Override
  public void updateStatus(UpdateRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Message obj = unwrap(request.getObject());
      return update(Kinds.of(obj), obj, request.getDryRun(), true);
    });
  }

  private <T extends Message> Object update(Kind<T> kind, Message obj, boolean dryRun, boolean status) {
    ResourceRegistry<T> registry = registries.of(kind);
    T typed = kind.type().cast(obj);
    return kind.wrap(status ? registry.updateStatus(typed, dryRun) : registry.update(typed, dryRun));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      if (!PROPAGATION.contains(request.getPropagationPolicy())) {
        throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + request.getPropagationPolicy()
            + "\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
      }
      ResourceRegistry<?> registry = registries.forResource(request.getResource());
      Message deleted = registry.delete(request.getNamespace(), request.getName(),
          request.hasGracePeriodSeconds() ? request.getGracePeriodSeconds() : null,
          request.getPreconditions().getUid(), request.getPreconditions().getResourceVersion(),
          request.getPropagationPolicy());
      if (registry.kind() == Kinds.NAMESPACE) {
        namespaceFinalizer.trigger();
      }
      return registry.kind().wrap(deleted);
    });
  }

  @Override
  public void bind(BindRequest request, StreamObserver<Object> response) {
    unary(response, () -> Kinds.POD.wrap(
        registries.bind(request.getNamespace(), request.getName(), request.getNodeName(), request.getUid())));
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionInfo> response) {
    unary(response, () -> version);
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
    try {
      Kind<?> kind = registries.forResource(request.getResource()).kind();
      Predicate<Message> filter = ObjectFilter.of(kind, request.getNamespace(), request.getLabelSelector(),
          request.getFieldSelector());
      watches.watch(kind, request.getResourceVersion(), filter, request.getAllowBookmarks(),
          (ServerCallStreamObserver<WatchEvent>) response);
    } catch (RuntimeException e) {
      response.onError(ApiException.fromGrpc(e).toGrpc());
    }
  }

  @Override
  public void logs(LogsRequest request, StreamObserver<LogChunk> response) {
    try {
      logs.stream(request, (ServerCallStreamObserver<LogChunk>) response);
    } catch (RuntimeException e) {
      response.onError(ApiException.fromGrpc(e).toGrpc());
    }
  }

  private static Message unwrap(Object envelope) {
    if (envelope.getKindCase() == Object.KindCase.KIND_NOT_SET) {
      throw ApiException.badRequest("the request carries no object");
    }
    return Kinds.unwrap(envelope);
  }

  private static <R> void unary(StreamObserver<R> response, Supplier<R> call) {
    R result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      response.onError(ApiException.fromGrpc(e).toGrpc());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }
}
