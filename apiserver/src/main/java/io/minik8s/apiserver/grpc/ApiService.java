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
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.service.ApiOperations;
import io.minik8s.apiserver.watch.PreEncodedWatch;
import io.minik8s.apiserver.watch.WatchHub;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The gRPC face of the API: translates requests into registry calls and registry results and
 * errors into responses. No API semantics live here.
 */
public final class ApiService extends ApiServerGrpc.ApiServerImplBase {
  private final ApiOperations operations;
  private final WatchHub watches;
  private final VersionInfo version;
  private final PodLogProxy logs;

  public ApiService(ApiOperations operations, WatchHub watches, VersionInfo version, PodLogProxy logs) {
    this.operations = operations;
    this.watches = watches;
    this.version = version;
    this.logs = logs;
  }

  /**
   * The service to serve: its Watch method sends events serialized once for all watchers
   * ({@link PreEncodedWatch}), which {@link #watch} relies on. Serve this, not {@link #bindService()}.
   */
  public io.grpc.ServerServiceDefinition definition() {
    return PreEncodedWatch.rebind(bindService());
  }

  @Override
  public void create(CreateRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Message obj = unwrap(request.getObject());
      return create(Kinds.of(obj), obj, request.getDryRun());
    });
  }

  private <T extends Message> Object create(Kind<T> kind, Message obj, boolean dryRun) {
    return kind.wrap(operations.create(kind, kind.type().cast(obj), dryRun));
  }

  @Override
  public void get(GetRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Kind<?> kind = operations.kindOf(request.getResource());
      return kind.wrap(operations.get(kind, request.getNamespace(), request.getName()));
    });
  }

  @Override
  public void list(ListRequest request, StreamObserver<ObjectList> response) {
    unary(response, () -> list(operations.kindOf(request.getResource()), request));
  }

  private <T extends Message> ObjectList list(Kind<T> kind, ListRequest request) {
    ResourceRegistry.ListPage<T> page = operations.list(kind, request.getNamespace(), request.getLabelSelector(),
        request.getFieldSelector(), request.getLimit(), request.getContinue());
    ObjectList.Builder b = ObjectList.newBuilder().setResourceVersion(Long.toString(page.revision()))
        .setContinue(page.continueToken());
    for (T item : page.items()) {
      b.addItems(kind.wrap(item));
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
    T typed = kind.type().cast(obj);
    return kind.wrap(status ? operations.updateStatus(kind, typed, dryRun) : operations.update(kind, typed, dryRun));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<Object> response) {
    unary(response, () -> {
      Kind<?> kind = operations.kindOf(request.getResource());
      return kind.wrap(operations.delete(kind, request.getNamespace(), request.getName(),
          request.hasGracePeriodSeconds() ? request.getGracePeriodSeconds() : null,
          request.getPreconditions().getUid(), request.getPreconditions().getResourceVersion(),
          request.getPropagationPolicy()));
    });
  }

  @Override
  public void bind(BindRequest request, StreamObserver<Object> response) {
    unary(response, () -> Kinds.POD.wrap(
        operations.bind(request.getNamespace(), request.getName(), request.getNodeName(), request.getUid())));
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionInfo> response) {
    unary(response, () -> version);
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
    try {
      Kind<?> kind = operations.kindOf(request.getResource());
      Predicate<Message> filter = operations.filter(kind, request.getNamespace(), request.getLabelSelector(),
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
