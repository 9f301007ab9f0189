package io.minik8s.client.api;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.minik8s.api.ApiServerGrpc;
import io.minik8s.api.BindRequest;
import io.minik8s.api.CreateRequest;
import io.minik8s.api.DeleteRequest;
import io.minik8s.api.GetRequest;
import io.minik8s.api.ListRequest;
import io.minik8s.api.LogChunk;
import io.minik8s.api.LogsRequest;
import io.minik8s.api.ObjectList;
import io.minik8s.api.Pod;
import io.minik8s.api.UpdateRequest;
import io.minik8s.api.VersionInfo;
import io.minik8s.api.VersionRequest;
import io.minik8s.api.WatchEvent;
import io.minik8s.api.WatchRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The typed API client every component uses. Thread-safe; one per process is enough.
 *
 * <p>Every method throws {@link ApiException} on failure (never a raw gRPC exception). Unary calls
 * carry a deadline ({@link #DEFAULT_TIMEOUT_SECONDS}); watches have none.
 */
public final class ApiClient implements AutoCloseable {
  public static final long DEFAULT_TIMEOUT_SECONDS = 30;

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final ApiServerGrpc.ApiServerBlockingStub blocking;
  private final ApiServerGrpc.ApiServerStub async;

  public ApiClient(ManagedChannel channel, boolean ownsChannel) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.blocking = ApiServerGrpc.newBlockingStub(channel);
    this.async = ApiServerGrpc.newStub(channel);
  }

  /**
   * Connects to {@code host:port}, or to several API servers given as {@code host:port,host:port}
   * (calls then go to whichever are up: see {@link ServerList}). Plain text; a lab cluster has no TLS.
   */
  public static ApiClient connect(String server) {
    ManagedChannel channel = ServerList.channelBuilder(server)
        .usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(false)
        .build();
    return new ApiClient(channel, true);
  }

  public ManagedChannel channel() {
    return channel;
  }

  private ApiServerGrpc.ApiServerBlockingStub stub() {
    return blocking.withDeadlineAfter(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  public <T extends Message> T create(T object) {
    Kind<T> kind = kindOf(object);
    try {
      return kind.unwrap(stub().create(CreateRequest.newBuilder().setObject(kind.wrap(object)).build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  public <T extends Message> T get(Kind<T> kind, String namespace, String name) {
    try {
      return kind.unwrap(stub().get(GetRequest.newBuilder().setResource(kind.resource())
          .setNamespace(nz(namespace)).setName(name).build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  /** Like {@link #get} but empty instead of a NotFound error. */
  public <T extends Message> Optional<T> find(Kind<T> kind, String namespace, String name) {
    try {
      return Optional.of(get(kind, namespace, name));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public <T extends Message> ListResult<T> list(Kind<T> kind, ListOptions options) {
    try {
      ObjectList list = stub().list(ListRequest.newBuilder().setResource(kind.resource())
          .setNamespace(nz(options.namespace())).setLabelSelector(nz(options.labelSelector()))
          .setFieldSelector(nz(options.fieldSelector())).setLimit(options.limit())
          .setContinue(nz(options.continueToken())).build());
      List<T> items = new ArrayList<>(list.getItemsCount());
      for (io.minik8s.api.Object o : list.getItemsList()) {
        items.add(kind.unwrap(o));
      }
      return new ListResult<>(items, list.getResourceVersion(), list.getContinue());
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  /** Lists every page. */
  public <T extends Message> ListResult<T> listAll(Kind<T> kind, ListOptions options) {
    return list(kind, options.withLimit(0));
  }

  public <T extends Message> T update(T object) {
    Kind<T> kind = kindOf(object);
    try {
      return kind.unwrap(stub().update(UpdateRequest.newBuilder().setObject(kind.wrap(object)).build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  public <T extends Message> T updateStatus(T object) {
    Kind<T> kind = kindOf(object);
    try {
      return kind.unwrap(stub().updateStatus(UpdateRequest.newBuilder().setObject(kind.wrap(object)).build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  /**
   * Deletes an object. Returns it as it is afterwards: still there with a deletionTimestamp (a pod on
   * a node waiting for its kubelet, an object with finalizers) or the last state before it vanished.
   */
  public <T extends Message> T delete(Kind<T> kind, String namespace, String name, DeleteOptions options) {
    DeleteRequest.Builder b = DeleteRequest.newBuilder().setResource(kind.resource())
        .setNamespace(nz(namespace)).setName(name).setPropagationPolicy(nz(options.propagationPolicy()));
    if (options.gracePeriodSeconds() != null) {
      b.setGracePeriodSeconds(options.gracePeriodSeconds());
    }
    if (options.preconditionUid() != null) {
      b.getPreconditionsBuilder().setUid(options.preconditionUid());
    }
    try {
      return kind.unwrap(stub().delete(b.build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  public <T extends Message> T delete(Kind<T> kind, String namespace, String name) {
    return delete(kind, namespace, name, DeleteOptions.DEFAULT);
  }

  /** Binds a pod to a node (the scheduler's call). */
  public Pod bind(String namespace, String podName, String nodeName) {
    try {
      return Kinds.POD.unwrap(stub().bind(BindRequest.newBuilder().setNamespace(nz(namespace))
          .setName(podName).setNodeName(nodeName).build()));
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  /**
   * Copies a container's log to {@code out} as it arrives (pods/log), until the log ends or, with
   * {@code follow}, until the container is gone or the thread is interrupted.
   */
  public void streamLogs(LogsRequest request, OutputStream out) throws IOException {
    ApiServerGrpc.ApiServerBlockingStub stub = request.getFollow() ? blocking
        : blocking.withDeadlineAfter(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    try {
      Iterator<LogChunk> chunks = stub.logs(request);
      while (chunks.hasNext()) {
        chunks.next().getData().writeTo(out);
        out.flush();
      }
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  public VersionInfo version() {
    try {
      return stub().version(VersionRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      throw ApiException.fromGrpc(e);
    }
  }

  /**
   * Starts a watch. Events arrive on gRPC's threads, one at a time and in order. The listener's
   * {@code onClose} is called exactly once: with null when the server ended the stream or the watch
   * was cancelled, with the error otherwise ({@link ApiException#isExpired()}: re-list).
   */
  public <T extends Message> Watch watch(Kind<T> kind, WatchOptions options, WatchListener<T> listener) {
    WatchRequest request = WatchRequest.newBuilder().setResource(kind.resource())
        .setNamespace(nz(options.namespace())).setLabelSelector(nz(options.labelSelector()))
        .setFieldSelector(nz(options.fieldSelector())).setResourceVersion(nz(options.resourceVersion()))
        .setAllowBookmarks(options.allowBookmarks()).build();
    Watch watch = new Watch();
    async.watch(request, new ClientResponseObserver<WatchRequest, WatchEvent>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
        watch.call = requestStream;
      }

      @Override
      public void onNext(WatchEvent event) {
        if (watch.closed.get()) {
          return;
        }
        T object = kind.unwrap(event.getObject());
        listener.onEvent(WatchEventType.valueOf(event.getType()), object);
      }

      @Override
      public void onError(Throwable t) {
        if (watch.closed.compareAndSet(false, true)) {
          ApiException e = ApiException.fromGrpc(t);
          listener.onClose(watch.cancelled ? null : e);
        }
      }

      @Override
      public void onCompleted() {
        if (watch.closed.compareAndSet(false, true)) {
          listener.onClose(null);
        }
      }
    });
    return watch;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> Kind<T> kindOf(T object) {
    return (Kind<T>) Kinds.of(object);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  @Override
  public void close() {
    if (ownsChannel) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A running watch; {@link #cancel()} ends it (the listener then sees {@code onClose(null)}). */
  public static final class Watch implements AutoCloseable {
    private volatile ClientCallStreamObserver<WatchRequest> call;
    private volatile boolean cancelled;
    private final AtomicBoolean closed = new AtomicBoolean();

    public void cancel() {
      cancelled = true;
      ClientCallStreamObserver<WatchRequest> c = call;
      if (c != null) {
        c.cancel("watch cancelled by client", null);
      }
    }

    public boolean isClosed() {
      return closed.get();
    }

    @Override
    public void close() {
      cancel();
    }
  }

  /** What a watch delivers. */
  public interface WatchListener<T> {
    void onEvent(WatchEventType type, T object);

    /** Called once when the watch ends: {@code error} is null for a clean end or a cancel. */
    void onClose(ApiException error);
  }

  public enum WatchEventType {
    ADDED, MODIFIED, DELETED, BOOKMARK
  }

  public record ListResult<T>(List<T> items, String resourceVersion, String continueToken) {}

  public record ListOptions(String namespace, String labelSelector, String fieldSelector, long limit,
      String continueToken) {
    public static final ListOptions ALL = new ListOptions("", "", "", 0, "");

    public static ListOptions inNamespace(String namespace) {
      return ALL.withNamespace(namespace);
    }

    public ListOptions withNamespace(String ns) {
      return new ListOptions(ns, labelSelector, fieldSelector, limit, continueToken);
    }

    public ListOptions withLabelSelector(String s) {
      return new ListOptions(namespace, s, fieldSelector, limit, continueToken);
    }

    public ListOptions withFieldSelector(String s) {
      return new ListOptions(namespace, labelSelector, s, limit, continueToken);
    }

    public ListOptions withLimit(long l) {
      return new ListOptions(namespace, labelSelector, fieldSelector, l, continueToken);
    }

    public ListOptions withContinue(String c) {
      return new ListOptions(namespace, labelSelector, fieldSelector, limit, c);
    }
  }

  public record WatchOptions(String namespace, String labelSelector, String fieldSelector,
      String resourceVersion, boolean allowBookmarks) {
    public static WatchOptions from(ListOptions list, String resourceVersion) {
      return new WatchOptions(list.namespace(), list.labelSelector(), list.fieldSelector(), resourceVersion, true);
    }
  }

  public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, "", null);

    public static DeleteOptions gracePeriod(long seconds) {
      return new DeleteOptions(seconds, "", null);
    }

    public static DeleteOptions propagation(String policy) {
      return new DeleteOptions(null, policy, null);
    }
  }
}
