package io.minik8s.testkit;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.minik8s.client.api.ApiClient;
import java.io.IOException;

/**
 * A fake API server (any implementation of the gRPC service) served in process, with an {@link ApiClient}
 * on it: for unit tests of components against an API server in a map. Calls run on the caller's thread
 * (direct executors), so a test sees their effects as soon as the call returns.
 */
public final class InProcessApi implements AutoCloseable {
  private final Server server;
  private final ManagedChannel channel;
  private final ApiClient client;

  private InProcessApi(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
    this.client = new ApiClient(channel, false);
  }

  /** Serves {@code service} under a fresh in-process name. */
  public static InProcessApi serve(BindableService service) {
    String name = InProcessServerBuilder.generateName();
    try {
      Server server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
      return new InProcessApi(server, InProcessChannelBuilder.forName(name).directExecutor().build());
    } catch (IOException e) {
      throw new IllegalStateException("in-process server " + name + " did not start", e);
    }
  }

  public ApiClient client() {
    return client;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}
