package io.minik8s.kubelet.logs;

import io.minik8s.kubelet.exec.ContainerExec;
import io.minik8s.kubelet.exec.ExecHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTP server for container logs and, when given a {@link ContainerExec}, commands (what the API
 * server proxies {@code kubectl logs} and {@code kubectl exec} to): Netty on one I/O thread, each log or exec
 * request served on a thread of its own (a follow lasts as long as the client wants, a command as long as it
 * runs). {@link #close()} stops accepting, interrupts the streams and commands in progress and frees the port.
 */
public final class LogServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(LogServer.class);

  private final ContainerLogsHandler handler;
  private final ExecHandler exec;
  private final ExecutorService streams;
  private EventLoopGroup group;
  private Channel channel;

  public LogServer(ContainerLogs logs) {
    this(logs, null, Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  /** Logs, and {@code POST /exec/...} through {@code exec}. */
  public LogServer(ContainerLogs logs, ContainerExec exec) {
    this(logs, exec, Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  public LogServer(ContainerLogs logs, Duration pollInterval, Duration runningCheckInterval) {
    this(logs, null, pollInterval, runningCheckInterval);
  }

  /**
   * @param exec runs commands for {@code POST /exec/...}; null to answer those 404
   * @param pollInterval how often a follow looks for new lines
   * @param runningCheckInterval how often a follow asks the runtime whether the container still runs
   */
  public LogServer(ContainerLogs logs, ContainerExec exec, Duration pollInterval, Duration runningCheckInterval) {
    this.streams = Executors.newCachedThreadPool(new DefaultThreadFactory("log-stream", true));
    this.handler = new ContainerLogsHandler(logs, new LogStreamer(logs, pollInterval, runningCheckInterval), streams);
    this.exec = exec == null ? null : new ExecHandler(exec, streams);
  }

  public synchronized LogServer start(String host, int port) throws InterruptedException {
    if (group != null) {
      throw new IllegalStateException("log server already started");
    }
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("log-io", true), NioIoHandler.newFactory());
    try {
      channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec()).addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
              if (exec != null) {
                ch.pipeline().addLast(exec); // takes /exec/ requests, passes the rest on
              }
              ch.pipeline().addLast(handler);
            }
          })
          .bind(host, port).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
      throw e;
    }
    log.atInfo().addKeyValue("address", channel.localAddress()).log("log server listening");
    return this;
  }

  public synchronized int port() {
    if (channel == null) {
      throw new IllegalStateException("log server not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    streams.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    group = null;
  }
}
