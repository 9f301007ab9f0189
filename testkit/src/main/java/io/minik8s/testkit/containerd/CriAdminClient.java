package io.minik8s.testkit.containerd;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.minik8s.cri.v1.Container;
import io.minik8s.cri.v1.ImageServiceGrpc;
import io.minik8s.cri.v1.ImageSpec;
import io.minik8s.cri.v1.ImageStatusRequest;
import io.minik8s.cri.v1.ListContainersRequest;
import io.minik8s.cri.v1.ListPodSandboxRequest;
import io.minik8s.cri.v1.PodSandbox;
import io.minik8s.cri.v1.RemoveContainerRequest;
import io.minik8s.cri.v1.RemovePodSandboxRequest;
import io.minik8s.cri.v1.RuntimeCondition;
import io.minik8s.cri.v1.RuntimeServiceGrpc;
import io.minik8s.cri.v1.StatusRequest;
import io.minik8s.cri.v1.StopContainerRequest;
import io.minik8s.cri.v1.StopPodSandboxRequest;
import io.minik8s.cri.v1.VersionRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few CRI calls the test harness itself needs: is the runtime ready, is an image there, and
 * "remove every pod". (The kubelet's full client is {@code io.minik8s.kubelet.cri.CriRuntime}; the
 * testkit cannot depend on the kubelet.) Not thread-safe; one per ContainerdProcess.
 */
final class CriAdminClient implements AutoCloseable {
  private static final long DEADLINE_SECONDS = 30;

  private final EventLoopGroup group;
  private final ManagedChannel channel;
  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
  private final ImageServiceGrpc.ImageServiceBlockingStub images;

  CriAdminClient(String socketPath) {
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("containerd-admin", true),
        EpollIoHandler.newFactory());
    channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath))
        .eventLoopGroup(group)
        .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
        .overrideAuthority("localhost")
        .usePlaintext()
        .build();
    runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    images = ImageServiceGrpc.newBlockingStub(channel);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return runtime.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** True once the CRI answers and reports both RuntimeReady and NetworkReady; false while it cannot. */
  boolean ready() {
    try {
      runtime.withDeadlineAfter(2, TimeUnit.SECONDS).version(VersionRequest.newBuilder().setVersion("v1").build());
      List<RuntimeCondition> conditions = runtime.withDeadlineAfter(2, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()).getStatus().getConditionsList();
      return conditions.stream().filter(c -> c.getType().equals("RuntimeReady") || c.getType().equals("NetworkReady"))
          .filter(RuntimeCondition::getStatus).count() == 2;
    } catch (StatusRuntimeException notYet) {
      return false;
    }
  }

  boolean imagePresent(String image) {
    return images.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
        .hasImage();
  }

  /**
   * Stops and removes every container and sandbox (CNI tears each pod's network down on stop).
   * Returns how many sandboxes were removed.
   */
  int removeAllPods() {
    for (Container c : runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList()) {
      runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(c.getId()).setTimeout(0).build());
      runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(c.getId()).build());
    }
    List<PodSandbox> sandboxes = runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
    for (PodSandbox s : sandboxes) {
      runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
      runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(s.getId()).build());
    }
    return sandboxes.size();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
