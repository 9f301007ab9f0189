package io.minik8s.client.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutorGroup;

/** The pipeline of one health connection: HTTP/1.1 codec, aggregation, then the handler off the I/O thread. */
final class HealthServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final HealthHandler handler;
  private final EventExecutorGroup handlerExecutor;

  HealthServerInitializer(HealthHandler handler, EventExecutorGroup handlerExecutor) {
    this.handler = handler;
    this.handlerExecutor = handlerExecutor;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
        // Checks and scrapes may take a moment; they run on their own executor so I/O never waits.
        .addLast(handlerExecutor, handler);
  }
}
