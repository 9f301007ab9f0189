package io.minik8s.apiserver.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.apiserver.kubelet.PodExecProxy;
import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.service.ApiOperations;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' REST API over HTTP (or HTTPS), on Netty, beside the gRPC API and on the same
 * {@link ApiOperations}: what lets the real {@code kubectl} and client-go talk to minik8s.
 *
 * <p>{@link #start} returns once the port is bound; {@link #close} closes the connections (ending their
 * watches), then the threads. Two I/O threads; requests run on a small pool of their own, since they wait
 * for etcd; watches hold no thread.
 */
public final class RestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestServer.class);
  private static final int WORKERS = 8;

  /**
   * Where and how to serve.
   *
   * @param tlsCertFile PEM certificate chain; empty (with {@code tlsKeyFile}) for plain HTTP
   * @param tlsKeyFile PEM PKCS#8 private key
   * @param gitVersion what {@code /version} reports
   * @param kubeconfig where to write a kubeconfig for this server once it serves; empty for nowhere
   * @param portRequired false when the port is only the default: if it is taken (another API server on this
   *     host), the API server runs without the REST API and says so, instead of failing to start
   */
  public record Config(String bindAddress, int port, String tlsCertFile, String tlsKeyFile, String gitVersion,
      String kubeconfig, boolean portRequired) {
    /** Without a kubeconfig to write; the port is required. */
    public Config(String bindAddress, int port, String tlsCertFile, String tlsKeyFile, String gitVersion) {
      this(bindAddress, port, tlsCertFile, tlsKeyFile, gitVersion, "", true);
    }

    public boolean tls() {
      return !tlsCertFile.isEmpty();
    }
  }

  private final EventLoopGroup group;
  private final ExecutorService work;
  private final ScheduledExecutorService timer;
  private final ChannelGroup connections;
  private final Channel channel;

  private RestServer(EventLoopGroup group, ExecutorService work, ScheduledExecutorService timer,
      ChannelGroup connections, Channel channel) {
    this.group = group;
    this.work = work;
    this.timer = timer;
    this.connections = connections;
    this.channel = channel;
  }

  /**
   * Binds and starts serving.
   *
   * @throws SSLException when the TLS files cannot be read
   * @throws InterruptedException if interrupted while binding
   * @throws java.net.BindException (sneakily, as Netty does) when the port is taken
   */
  public static RestServer start(Config config, ApiOperations operations, PodLogProxy logs, PodExecProxy execs,
      Clock clock, MeterRegistry meters)
      throws SSLException, InterruptedException {
    SslContext tls = config.tls()
        ? SslContextBuilder.forServer(new File(config.tlsCertFile()), new File(config.tlsKeyFile())).build() : null;
    String platform = System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("rest-io", true),
        NioIoHandler.newFactory());
    ThreadPoolExecutor work = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("rest-handler", true));
    work.allowCoreThreadTimeOut(true);
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("rest-timer", true));
    timer.setRemoveOnCancelPolicy(true);
    ChannelGroup connections = new DefaultChannelGroup("rest-connections", GlobalEventExecutor.INSTANCE);
    ExecEndpoint execEndpoint = new ExecEndpoint(execs, new ObjectJson());
    RestApi api = new RestApi(operations, logs, execEndpoint, config.gitVersion(), platform, clock, timer);
    try {
      Channel channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new RestServerInitializer(api, execEndpoint, work, connections, tls,
              new RequestMetrics(meters)))
          .bind(config.bindAddress(), config.port()).sync().channel();
      RestServer server = new RestServer(group, work, timer, connections, channel);
      log.info("REST API serving {} on {}", config.tls() ? "HTTPS" : "HTTP", channel.localAddress());
      if (!config.kubeconfig().isEmpty()) {
        try {
          Kubeconfig.write(Path.of(config.kubeconfig()), config, server.port());
        } catch (IOException e) {
          server.close();
          throw new UncheckedIOException("cannot write the kubeconfig " + config.kubeconfig(), e);
        }
        log.info("kubeconfig for kubectl written to {}", config.kubeconfig());
      }
      return server;
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      work.shutdownNow();
      timer.shutdownNow();
      throw e;
    }
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    work.shutdownNow();
    timer.shutdownNow();
  }
}
