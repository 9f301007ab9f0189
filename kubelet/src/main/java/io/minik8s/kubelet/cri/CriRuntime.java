package io.minik8s.kubelet.cri;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.minik8s.cri.v1.ContainerStatusRequest;
import io.minik8s.cri.v1.ContainerStatusResponse;
import io.minik8s.cri.v1.CreateContainerRequest;
import io.minik8s.cri.v1.ExecSyncRequest;
import io.minik8s.cri.v1.ExecSyncResponse;
import io.minik8s.cri.v1.ImageServiceGrpc;
import io.minik8s.cri.v1.ImageSpec;
import io.minik8s.cri.v1.ImageStatusRequest;
import io.minik8s.cri.v1.ImageStatusResponse;
import io.minik8s.cri.v1.ListContainersRequest;
import io.minik8s.cri.v1.ListImagesRequest;
import io.minik8s.cri.v1.ListPodSandboxRequest;
import io.minik8s.cri.v1.PodSandboxStatusRequest;
import io.minik8s.cri.v1.PodSandboxStatusResponse;
import io.minik8s.cri.v1.PullImageRequest;
import io.minik8s.cri.v1.RemoveContainerRequest;
import io.minik8s.cri.v1.RemoveImageRequest;
import io.minik8s.cri.v1.RemovePodSandboxRequest;
import io.minik8s.cri.v1.RunPodSandboxRequest;
import io.minik8s.cri.v1.RuntimeCondition;
import io.minik8s.cri.v1.RuntimeServiceGrpc;
import io.minik8s.cri.v1.StartContainerRequest;
import io.minik8s.cri.v1.StatusRequest;
import io.minik8s.cri.v1.StatusResponse;
import io.minik8s.cri.v1.StopContainerRequest;
import io.minik8s.cri.v1.StopPodSandboxRequest;
import io.minik8s.cri.v1.VersionRequest;
import io.minik8s.cri.v1.VersionResponse;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link ContainerRuntime} over CRI {@code runtime.v1} gRPC on the runtime's unix socket.
 *
 * <p>Thread-safe: one instance (one HTTP/2 connection) serves the whole kubelet. Every call carries a
 * deadline: {@code callTimeout} for ordinary calls, plus the stop grace period for StopContainer,
 * plus the command timeout for ExecSync, and {@link #PULL_TIMEOUT} for PullImage. A failed call is a
 * {@link CriException} naming the rpc.
 */
public final class CriRuntime implements ContainerRuntime {
  /** The kubelet's default (--runtime-request-timeout in Kubernetes). */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);
  /** Beyond ExecSync's own timeout, time for the runtime to kill the command and answer. */
  private static final Duration EXEC_MARGIN = Duration.ofSeconds(10);
  /** containerd caps exec output at 16 MiB per stream; leave room for both and the framing. */
  private static final int MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

  private final String endpoint;
  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;
  private final Duration callTimeout;
  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
  private final ImageServiceGrpc.ImageServiceBlockingStub images;

  private CriRuntime(String endpoint, ManagedChannel channel, EventLoopGroup eventLoop, Duration callTimeout) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.eventLoop = eventLoop;
    this.callTimeout = callTimeout;
    this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    this.images = ImageServiceGrpc.newBlockingStub(channel);
  }

  /**
   * Connects to a runtime endpoint such as {@code unix:///run/containerd/containerd.sock} (a bare
   * absolute path works too). Connecting is lazy: a runtime that is not up yet fails the first call
   * with {@link CriException.Code#UNAVAILABLE}, and later calls reconnect.
   */
  public static CriRuntime connect(String endpoint) {
    return connect(endpoint, DEFAULT_CALL_TIMEOUT);
  }

  public static CriRuntime connect(String endpoint, Duration callTimeout) {
    String path = socketPath(endpoint);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cri-client", true),
        EpollIoHandler.newFactory());
    ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
        .eventLoopGroup(group)
        .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
        .overrideAuthority("localhost")
        .usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .build();
    return new CriRuntime(endpoint, channel, group, callTimeout);
  }

  /** The socket path of a {@code unix://} endpoint. */
  public static String socketPath(String endpoint) {
    if (endpoint.startsWith("unix://")) {
      String path = endpoint.substring("unix://".length());
      if (path.startsWith("/")) {
        return path;
      }
    } else if (endpoint.startsWith("/")) {
      return endpoint;
    }
    throw new IllegalArgumentException("not a unix socket endpoint (want unix:///path/to.sock): " + endpoint);
  }

  @Override
  public RuntimeVersion version() {
    VersionResponse r = call("Version", () -> runtime().version(VersionRequest.newBuilder().setVersion("v1").build()));
    return new RuntimeVersion(r.getRuntimeName(), r.getRuntimeVersion(), r.getRuntimeApiVersion());
  }

  @Override
  public RuntimeHealth health() {
    StatusResponse r = call("Status", () -> runtime().status(StatusRequest.getDefaultInstance()));
    boolean runtimeReady = false;
    boolean networkReady = false;
    List<String> problems = new ArrayList<>();
    for (RuntimeCondition c : r.getStatus().getConditionsList()) {
      if (c.getType().equals("RuntimeReady")) {
        runtimeReady = c.getStatus();
      } else if (c.getType().equals("NetworkReady")) {
        networkReady = c.getStatus();
      }
      if (!c.getStatus()) {
        problems.add(c.getType() + "=false: " + c.getReason() + " " + c.getMessage());
      }
    }
    return new RuntimeHealth(runtimeReady, networkReady, String.join("; ", problems));
  }

  @Override
  public String runSandbox(SandboxSpec spec) {
    RunPodSandboxRequest req = RunPodSandboxRequest.newBuilder().setConfig(CriMessages.sandboxConfig(spec)).build();
    return call("RunPodSandbox", () -> runtime().runPodSandbox(req)).getPodSandboxId();
  }

  @Override
  public void stopSandbox(String sandboxId) {
    ignoringNotFound("StopPodSandbox", () -> runtime().stopPodSandbox(
        StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  @Override
  public void removeSandbox(String sandboxId) {
    ignoringNotFound("RemovePodSandbox", () -> runtime().removePodSandbox(
        RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
  }

  @Override
  public Optional<SandboxInfo> sandboxStatus(String sandboxId) {
    Optional<PodSandboxStatusResponse> r = orEmptyIfNotFound("PodSandboxStatus", () -> runtime().podSandboxStatus(
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    return r.map(s -> CriMessages.sandboxInfo(s.getStatus()));
  }

  @Override
  public List<SandboxSummary> listSandboxes(Map<String, String> labels) {
    ListPodSandboxRequest.Builder req = ListPodSandboxRequest.newBuilder();
    req.getFilterBuilder().putAllLabelSelector(labels);
    return call("ListPodSandbox", () -> runtime().listPodSandbox(req.build())).getItemsList().stream()
        .map(CriMessages::sandboxSummary).toList();
  }

  @Override
  public Optional<ImageRef> imageStatus(String image) {
    ImageStatusResponse r = call("ImageStatus", () -> images().imageStatus(
        ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
    return r.hasImage() ? Optional.of(CriMessages.imageRef(r.getImage())) : Optional.empty();
  }

  @Override
  public String pullImage(String image) {
    PullImageRequest req = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build();
    return call("PullImage", () -> images(PULL_TIMEOUT).pullImage(req)).getImageRef();
  }

  @Override
  public List<ImageRef> listImages() {
    return call("ListImages", () -> images().listImages(ListImagesRequest.getDefaultInstance())).getImagesList()
        .stream().map(CriMessages::imageRef).toList();
  }

  @Override
  public void removeImage(String image) {
    ignoringNotFound("RemoveImage", () -> images().removeImage(
        RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
  }

  @Override
  public String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
    CreateContainerRequest req = CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
        .setConfig(CriMessages.containerConfig(spec, sandbox)).setSandboxConfig(CriMessages.sandboxConfig(sandbox))
        .build();
    return call("CreateContainer", () -> runtime().createContainer(req)).getContainerId();
  }

  @Override
  public void startContainer(String containerId) {
    call("StartContainer", () -> runtime().startContainer(
        StartContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  @Override
  public void stopContainer(String containerId, long timeoutSeconds) {
    Duration deadline = callTimeout.plusSeconds(Math.max(0, timeoutSeconds));
    ignoringNotFound("StopContainer", () -> runtime(deadline).stopContainer(
        StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(timeoutSeconds).build()));
  }

  @Override
  public void removeContainer(String containerId) {
    ignoringNotFound("RemoveContainer", () -> runtime().removeContainer(
        RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
  }

  @Override
  public Optional<ContainerInfo> containerStatus(String containerId) {
    Optional<ContainerStatusResponse> r = orEmptyIfNotFound("ContainerStatus", () -> runtime().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(containerId).build()));
    return r.map(s -> CriMessages.containerInfo(s.getStatus()));
  }

  @Override
  public List<ContainerSummary> listContainers(ContainerFilter filter) {
    ListContainersRequest.Builder req = ListContainersRequest.newBuilder();
    req.getFilterBuilder().setPodSandboxId(filter.sandboxId()).putAllLabelSelector(filter.labels());
    if (filter.state() != null) {
      req.getFilterBuilder().getStateBuilder().setState(CriMessages.containerState(filter.state()));
    }
    return call("ListContainers", () -> runtime().listContainers(req.build())).getContainersList().stream()
        .map(CriMessages::containerSummary).toList();
  }

  @Override
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    // The CRI counts whole seconds; round up so a short timeout never becomes 0 ("no timeout").
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    ExecSyncRequest req = ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
        .setTimeout(seconds).build();
    ExecSyncResponse r = call("ExecSync", () -> runtime(Duration.ofSeconds(seconds).plus(EXEC_MARGIN)).execSync(req));
    return new ExecResult(r.getExitCode(), r.getStdout(), r.getStderr());
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return runtime(callTimeout);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
    return runtime.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images() {
    return images(callTimeout);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images(Duration deadline) {
    return images.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String rpc, Supplier<T> body) {
    try {
      return body.get();
    } catch (StatusRuntimeException e) {
      throw translate(rpc, endpoint, e);
    }
  }

  private void ignoringNotFound(String rpc, Supplier<?> body) {
    orEmptyIfNotFound(rpc, body);
  }

  private <T> Optional<T> orEmptyIfNotFound(String rpc, Supplier<T> body) {
    try {
      return Optional.of(call(rpc, body));
    } catch (CriException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static CriException translate(String rpc, String endpoint, StatusRuntimeException e) {
    io.grpc.Status s = e.getStatus();
    CriException.Code code = switch (s.getCode()) {
      case NOT_FOUND -> CriException.Code.NOT_FOUND;
      case ALREADY_EXISTS -> CriException.Code.ALREADY_EXISTS;
      case DEADLINE_EXCEEDED -> CriException.Code.TIMEOUT;
      case UNAVAILABLE -> CriException.Code.UNAVAILABLE;
      default -> CriException.Code.OTHER;
    };
    String message = s.getDescription() != null ? s.getDescription() : s.getCode().name();
    if (code == CriException.Code.UNAVAILABLE) {
      // gRPC says only "io exception" here; the cause says what (socket missing, refused...).
      message = "cannot reach the runtime at " + endpoint + ": " + message
          + (s.getCause() != null ? " (" + s.getCause() + ")" : "");
    }
    return new CriException(rpc, code, message, e);
  }
}
