package io.minik8s.client.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of one health connection: HTTP/1.1 codec, aggregation, the handler. */
final class HealthServerInitializer extends ChannelInitializer<SocketChannel> {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final HealthHandler handler;
  private final ChannelGroup connections;

  HealthServerInitializer(HealthHandler handler, ChannelGroup connections) {
    this.handler = handler;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast(handler);
  }
}
