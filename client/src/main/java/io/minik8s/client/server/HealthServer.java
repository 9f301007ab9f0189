package io.minik8s.client.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /healthz}, {@code /livez}, {@code /readyz} and {@code /metrics} endpoint of a process, on
 * its own small Netty server (one I/O thread, one handler thread). JVM and process metrics are bound
 * to the registry on {@link #start}.
 *
 * <p>Typical use: {@code new HealthServer(registry).addReadinessCheck("informers", ...)
 * .start("0.0.0.0", 10251)}, registered with the process lifecycle for {@link #close()}.
 * Thread-safe: checks may be added at any time.
 */
public final class HealthServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness = new HealthChecks();
  private EventLoopGroup group;
  private EventExecutorGroup handlerExecutor;
  private Channel channel;
  private JvmMetrics jvmMetrics;

  public HealthServer(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Adds (or replaces) a named readiness check behind {@code /readyz}. */
  public HealthServer addReadinessCheck(String name, HealthCheck check) {
    readiness.add(name, check);
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Binds {@code host:port} (port 0: an ephemeral port, see {@link #port()}) and starts serving.
   *
   * @throws IllegalStateException if already started
   * @throws InterruptedException if interrupted while binding
   */
  public synchronized HealthServer start(String host, int port) throws InterruptedException {
    if (group != null) {
      throw new IllegalStateException("health server already started");
    }
    jvmMetrics = JvmMetrics.bindTo(registry);
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("health-io", true),
        NioIoHandler.newFactory());
    handlerExecutor = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("health-handler", true));
    try {
      channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new HealthServerInitializer(new HealthHandler(registry, readiness), handlerExecutor))
          .bind(host, port).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      shutdownGroups();
      throw e;
    }
    log.atInfo().addKeyValue("address", channel.localAddress()).log("health server listening");
    return this;
  }

  /** The bound port (the real one when started with port 0). */
  public synchronized int port() {
    if (channel == null) {
      throw new IllegalStateException("health server not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops serving and frees the threads and port. Idempotent. */
  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    if (channel != null) {
      channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      channel = null;
    }
    shutdownGroups();
    log.info("health server stopped");
  }

  private void shutdownGroups() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    handlerExecutor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    group = null;
    handlerExecutor = null;
    if (jvmMetrics != null) {
      jvmMetrics.close();
      jvmMetrics = null;
    }
  }
}
